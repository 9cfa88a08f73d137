local mt = {}
mt.__concat = function(a, b)
  local function s(v) return type(v) == "table" and v.n or v end
  return setmetatable({n = "(" .. s(a) .. "." .. s(b) .. ")"}, mt)
end
local A, B = setmetatable({n = "A"}, mt), setmetatable({n = "B"}, mt)
print((A .. "x" .. B .. "y").n) -- expect: A
