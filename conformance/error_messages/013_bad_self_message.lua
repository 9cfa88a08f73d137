print(pcall(function() return ("x").rep() end)) -- expect: false	conformance/error_messages/013_bad_self_message.lua:1: bad argument #1 to 'rep' (string expected, got no value)
print(pcall(function() return string.upper() end)) -- expect: false	conformance/error_messages/013_bad_self_message.lua:2: bad argument #1 to 'upper' (string expected, got no value)
