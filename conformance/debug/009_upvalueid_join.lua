-- upvalueid identifies shared upvalues; upvaluejoin makes one closure share another's
local function counter()
  local n = 0
  return function() n = n + 1; return n end, function() return n end
end
local inc, get = counter()
local inc2 = counter()
print(debug.upvalueid(inc, 1) == debug.upvalueid(get, 1))
print(debug.upvalueid(inc, 1) == debug.upvalueid(inc2, 1))
print(type(debug.upvalueid(inc, 1)))
inc(); inc()
print(get())
debug.upvaluejoin(inc2, 1, inc, 1)
print(debug.upvalueid(inc, 1) == debug.upvalueid(inc2, 1))
inc2()
print(get())
print(debug.upvalueid(inc, 5))
print(pcall(debug.upvaluejoin, inc, 5, get, 1))
print(pcall(debug.upvaluejoin, inc, 1, print, 1))

-- expect: true
-- expect: false
-- expect: userdata
-- expect: 2
-- expect: true
-- expect: 3
-- expect: nil
-- expect: false	bad argument #2 to 'debug.upvaluejoin' (invalid upvalue index)
-- expect: false	bad argument #4 to 'debug.upvaluejoin' (invalid upvalue index)
