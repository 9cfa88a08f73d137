print(pcall(function() return "3" | 0 end)) -- expect: false	conformance/arith/026_bitwise_on_string.lua:1: attempt to perform bitwise operation on a string value (constant '3')
local s = "3"
print(s & 1)

-- expect error: conformance/arith/026_bitwise_on_string.lua:3: attempt to perform bitwise operation on a string value (local 's')
