-- getupvalue/setupvalue: names in PUC's order, _ENV, no such upvalue
local x, y = 1, 2
local function f()
  local s = y
  print(s)
  return x
end
print(debug.getupvalue(f, 1))
print((debug.getupvalue(f, 2)), select(2, debug.getupvalue(f, 2)) == _ENV)
print(debug.getupvalue(f, 3))
print(debug.getupvalue(f, 4))
print(select("#", debug.getupvalue(f, 4)))
print(debug.setupvalue(f, 1, 20), y)
print(debug.setupvalue(f, 3, 10), f())
local function g() return 1 end
print(debug.getupvalue(g, 1))
print(debug.getupvalue(load("a = 1"), 1) == "_ENV")
local h = load("return a")
print(debug.setupvalue(h, 1, {a = "from new env"}), h())
print(debug.getupvalue(print, 1))
print(pcall(debug.getupvalue, 1, 1))

-- expect: y	2
-- expect: _ENV	true
-- expect: x	1
-- expect: 
-- expect: 0
-- expect: y	20
-- expect: 20
-- expect: x	10
-- expect: 
-- expect: true
-- expect: _ENV	from new env
-- expect: 
-- expect: false	bad argument #1 to 'debug.getupvalue' (function expected, got number)
