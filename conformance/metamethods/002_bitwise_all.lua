local mt = {}
for _, e in ipairs({"band", "bor", "bxor", "shl", "shr", "bnot"}) do
  mt["__" .. e] = function(a, b) return e end
end
local t = setmetatable({}, mt)
print(t & 1, 1 | t, t ~ t, t << 1, t >> 1, ~t) -- expect: band	bor	bxor	shl	shr	bnot
