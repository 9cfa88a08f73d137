local f = coroutine.wrap(function() error("in coroutine") end)
print(pcall(f)) -- expect: false	conformance/coroutines/005_wrap_error_propagates.lua:1: in coroutine
local e = {}
local g = coroutine.wrap(function() error(e) end)
print(select(2, pcall(g)) == e) -- expect: true
