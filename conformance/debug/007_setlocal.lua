-- setlocal changes a local of a running function, a captured one too, and varargs
local function f(...)
  local a = 1
  local b = "x"
  local d = "y"
  local c = {}
  local function show() return c end
  print(debug.setlocal(1, 1, 100), debug.setlocal(1, 2, "changed"))
  print(a, b)
  local t = {}
  print(debug.setlocal(1, 4, t))
  print(show() == t)
  print(debug.setlocal(1, -1, "newva"), ...)
  print(debug.setlocal(1, 10, 0))
  local function g()
    debug.setlocal(2, 3, "from g")
  end
  g()
  print(d)
end
f("va")

-- expect: a	b
-- expect: 100	changed
-- expect: c
-- expect: true
-- expect: (vararg)	newva
-- expect: nil
-- expect: from g
