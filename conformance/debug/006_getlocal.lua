-- getlocal: active locals in declaration order, parameters, varargs, function parameters
local function f(a, b, ...)
  local x = 10
  do
    local inner = 20
    print(debug.getlocal(1, 4))
  end
  local y = 30
  do
    local n = 1
    while debug.getlocal(1, n) do n = n + 1 end
    print("active", n - 1)
  end
  print(debug.getlocal(1, 1))
  print(debug.getlocal(1, 2))
  print(debug.getlocal(1, 3))
  print(debug.getlocal(1, 4))
  print(debug.getlocal(1, -1))
  print(debug.getlocal(1, -2))
  print(debug.getlocal(1, -3))
end
f(1, 2, "v1", "v2")
print(debug.getlocal(f, 1), debug.getlocal(f, 2), debug.getlocal(f, 3))
print(debug.getlocal(print, 1))
local function caller()
  local mine = "caller's"
  local function callee() local n, v = debug.getlocal(2, 1); return n, type(v), (debug.getlocal(2, 2)) end
  return callee()
end
print(caller())
print(pcall(debug.getlocal, 50, 1))

-- expect: inner	20
-- expect: active	5
-- expect: a	1
-- expect: b	2
-- expect: x	10
-- expect: y	30
-- expect: (vararg)	v1
-- expect: (vararg)	v2
-- expect: nil
-- expect: a	b	nil
-- expect: nil
-- expect: f	function	caller
-- expect: false	bad argument #1 to 'debug.getlocal' (level out of range)
