-- Lua 5.4 lets a coroutine yield inside any metamethod an operator runs
local Y = coroutine.yield
local mt = {}
for _, ev in ipairs({"__add", "__sub", "__mul", "__div", "__mod", "__pow", "__unm", "__idiv",
                     "__band", "__bor", "__bxor", "__shl", "__shr", "__bnot", "__concat"}) do
  mt[ev] = function(a, b) return Y(ev) end
end
mt.__len = function() return Y("__len") end
mt.__eq = function() return Y("__eq") end
mt.__lt = function() return Y("__lt") end
mt.__le = function() return Y("__le") end
mt.__index = function(_, k) return Y("__index " .. k) end
mt.__newindex = function(_, k, v) Y("__newindex " .. k .. "=" .. v) end
mt.__call = function(self, x) return Y("__call " .. x) end
local a, b = setmetatable({}, mt), setmetatable({}, mt)
local co = coroutine.wrap(function()
  local r = {}
  r[#r + 1] = a + 1; r[#r + 1] = 2 - a; r[#r + 1] = a * b; r[#r + 1] = a / 2; r[#r + 1] = a % 2
  r[#r + 1] = a ^ 2; r[#r + 1] = -a; r[#r + 1] = a // 2; r[#r + 1] = a & 1; r[#r + 1] = a | 1
  r[#r + 1] = a ~ 1; r[#r + 1] = a << 1; r[#r + 1] = a >> 1; r[#r + 1] = ~a; r[#r + 1] = a .. "s"
  r[#r + 1] = #a; r[#r + 1] = tostring(a == b); r[#r + 1] = tostring(a < b); r[#r + 1] = tostring(a <= b)
  r[#r + 1] = a.field; a.key = "v"; r[#r + 1] = a("arg")
  return table.concat(r, ",")
end)
local v = co()
while true do
  print(v)
  local nv = co(v == "__eq" and true or v == "__lt" and false or v == "__le" and 1 or "<" .. v .. ">")
  if type(nv) == "string" and nv:find(",") then print(nv) break end
  v = nv
end

-- expect: __add
-- expect: __sub
-- expect: __mul
-- expect: __div
-- expect: __mod
-- expect: __pow
-- expect: __unm
-- expect: __idiv
-- expect: __band
-- expect: __bor
-- expect: __bxor
-- expect: __shl
-- expect: __shr
-- expect: __bnot
-- expect: __concat
-- expect: __len
-- expect: __eq
-- expect: __lt
-- expect: __le
-- expect: __index field
-- expect: __newindex key=v
-- expect: __call arg
-- expect: <__add>,<__sub>,<__mul>,<__div>,<__mod>,<__pow>,<__unm>,<__idiv>,<__band>,<__bor>,<__bxor>,<__shl>,<__shr>,<__bnot>,<__concat>,<__len>,true,true,true,<__index field>,<__call arg>
