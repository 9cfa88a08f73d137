-- string.dump and load of its result: same function, fresh upvalues (first = env), PUC's header, mode checks, truncation
local function read1 (x)
  local i = 0
  return function () i = i + 1; return string.sub(x, i, i) end
end
local f = load(string.dump(function () return 1 end), nil, "b", {})
print(type(f), f())
local g = load(string.dump(function () return '01234567890123456789012345678901234567890123456789' end))
print(g())
x = string.dump(load("x = 1; return x"))
a = assert(load(read1(x), nil, "b"))
print(a(), _G.x)
print(load(read1(x), nil, "t"))
print(load(x, nil, "t"))
print(pcall(string.dump, print))
local x; XX = 123
local function h ()
  local y=x
  return XX
end
local d = string.dump(h)
local hx = load(d, "", "b")
print(pcall(hx))
local src = [[
  return function (x)
    return function (y)
     return function (z)
       return x+y+z
     end
   end
  end
]]
a = assert(load(read1(src), "read", "t"))
x = string.dump(a)
a = assert(load(read1(x), "read", "b"))
print(a()(2)(3)(10))
local inner = a()(2)
print(pcall(load(string.dump(inner))(), 5))
local a1, b1 = 20, 30
x = load(string.dump(function (x)
  if x == "set" then a1 = 10+b1; b1 = b1+1 else
  return a1
  end
end), "", "b", nil)
print(x())
print(pcall(x, "set"))
local c = string.dump(function ()
    local a = 1; local b = 3;
    local f = function () return a + b + _ENV.c; end
    return a + b * 3
  end)
print(load(c)(), c:sub(1, 4) == "\27Lua", string.unpack("jn", c, 16))
local bad = 0
for i = 1, #c - 1 do
  local st, msg = load(string.sub(c, 1, i))
  if st or not string.find(msg, "truncated") then bad = bad + 1 end
end
print("truncated ok", bad)
for i = 1, 31 do
  local s = string.sub(c, 1, i - 1) .. string.char((string.byte(c, i) + 1) % 256) .. string.sub(c, i + 1)
  if load(s) then bad = bad + 1 end
end
print("corrupted ok", bad)
print(load(string.sub(c, 1, 20), "=mychunk"))
local fs = function (a) return a + 1 end
fs = assert(load(string.dump(fs, true)))
print(fs(3), pcall(fs, {}))
local k <const> = 42
local kf = load(string.dump(function() return k end))
print(kf())
print(load(string.dump(function(...) return select('#', ...) end))(1, 2, 3))

-- expect: function	1
-- expect: 01234567890123456789012345678901234567890123456789
-- expect: 1	1
-- expect: nil	(load):1: unexpected symbol near '1'
-- expect: nil	[string "1"]:1: unexpected symbol near '1'
-- expect: false	unable to dump given function
-- expect: false	conformance/load/018_string_dump.lua:19: attempt to index a nil value (upvalue '_ENV')
-- expect: 15
-- expect: false	[string "read"]:4: attempt to perform arithmetic on a table value (upvalue 'x')
-- expect: nil
-- expect: false	conformance/load/018_string_dump.lua:41: attempt to perform arithmetic on a nil value (upvalue 'b1')
-- expect: 10	true	22136	370.5	32
-- expect: truncated ok	0
-- expect: corrupted ok	0
-- expect: nil	mychunk: bad binary format (truncated chunk)
-- expect: 4	false	?:-1: attempt to perform arithmetic on a table value
-- expect: 42
-- expect: 3
