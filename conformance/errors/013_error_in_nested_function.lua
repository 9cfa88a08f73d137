local function inner() local t = nil; return t.x end
local function outer() return inner() end
print(pcall(outer)) -- expect: false	conformance/errors/013_error_in_nested_function.lua:1: attempt to index a nil value (local 't')
