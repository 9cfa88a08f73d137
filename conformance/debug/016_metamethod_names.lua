-- functions called as metamethods or iterators are named so
local function who() local i = debug.getinfo(2, "n"); return i.namewhat .. " " .. tostring(i.name) end
local mt = {}
for _, e in ipairs{"index", "add", "sub", "concat", "len", "unm", "eq", "lt", "le", "band", "shl", "bnot", "idiv"} do
  mt["__" .. e] = function() return who() end
end
local a, b = setmetatable({}, mt), setmetatable({}, mt)
print(a.x)
print(a + 1, 2 - a, a .. "s", #a, -a)
print(a & 1, a << 1, ~a, a // 2)
mt.__eq = function() print(who()); return true end
mt.__lt = function() print(who()); return true end
mt.__le = function() print(who()); return true end
print(a == b, a < b, a <= b)
for v in function(s, c) if not c then return who() end end do print(v) end
do
  local x <close> = setmetatable({}, {__close = function() print(who()) end})
end

-- expect:  nil
-- expect:  nil	 nil	 nil	 nil	 nil
-- expect:  nil	 nil	 nil	 nil
-- expect: metamethod eq
-- expect: metamethod lt
-- expect: metamethod le
-- expect: true	true	true
-- expect:  nil
-- expect: metamethod close
