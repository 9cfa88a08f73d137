-- messages that need the chunk:line prefix or the _ENV variable's name
local t = setmetatable({}, {__tostring = function() return {} end})
print(pcall(tostring, t))
print(pcall(function() return tostring(t) end))
print(pcall(function() print(t) end))
print(pcall(function() return string.format("%s", t) end))
print(pcall(function() local _ENV = nil; b = 20 end))
print(pcall(load("_ENV = nil; b = 20")))
print(pcall(load("local a = _ENV.x.y")))
print(pcall(load("_ENV = nil; local x = b")))

-- expect: false	'__tostring' must return a string
-- expect: false	conformance/error_messages/025_env_tostring_where.lua:4: '__tostring' must return a string
-- expect: false	conformance/error_messages/025_env_tostring_where.lua:5: '__tostring' must return a string
-- expect: false	conformance/error_messages/025_env_tostring_where.lua:6: '__tostring' must return a string
-- expect: false	conformance/error_messages/025_env_tostring_where.lua:7: attempt to index a nil value (local '_ENV')
-- expect: false	[string "_ENV = nil; b = 20"]:1: attempt to index a nil value (upvalue '_ENV')
-- expect: false	[string "local a = _ENV.x.y"]:1: attempt to index a nil value (global 'x')
-- expect: false	[string "_ENV = nil; local x = b"]:1: attempt to index a nil value (upvalue '_ENV')
