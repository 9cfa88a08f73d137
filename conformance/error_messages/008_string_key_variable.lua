local t = {}
local k = "dyn"
print(pcall(function() return t[k].x end)) -- expect: false	conformance/error_messages/008_string_key_variable.lua:3: attempt to index a nil value (field '?')
