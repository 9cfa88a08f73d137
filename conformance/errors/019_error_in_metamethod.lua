local t = setmetatable({}, {__index = function(t, k) error("no field " .. k) end})
print(pcall(function() return t.foo end)) -- expect: false	conformance/errors/019_error_in_metamethod.lua:1: no field foo
