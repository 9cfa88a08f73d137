-- a function dumped with strip = true has no debug information: positions read ?:-1:, no variable names
local function t(f) print(pcall(load(string.dump(f, true)))) end
t(function() return xx.y end)
t(function() local a; return a.y end)
t(function() local a = {}; return a.b.c end)
t(function() error("hi") end)
t(function() string.rep() end)
t(function() undefinedf() end)

-- expect: false	?:-1: attempt to index a nil value (field 'xx')
-- expect: false	?:-1: attempt to index a nil value
-- expect: false	?:-1: attempt to index a nil value (field 'b')
-- expect: false	hi
-- expect: false	bad argument #1 to 'rep' (string expected, got no value)
-- expect: false	?:-1: attempt to call a nil value (field 'undefinedf')
