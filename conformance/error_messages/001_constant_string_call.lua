local s = ("x")
print(pcall(function() ("lit")() end)) -- expect: false	conformance/error_messages/001_constant_string_call.lua:2: attempt to call a string value (constant 'lit')
