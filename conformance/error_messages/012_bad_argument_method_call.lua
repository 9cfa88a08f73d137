local s = "abc"
print(pcall(function() return s:rep({}) end)) -- expect: false	conformance/error_messages/012_bad_argument_method_call.lua:2: bad argument #1 to 'rep' (number expected, got table)
print(pcall(function() return s:sub("x") end)) -- expect: false	conformance/error_messages/012_bad_argument_method_call.lua:3: bad argument #1 to 'sub' (number expected, got string)
