print(pcall(function() return 1.5 & 1 end)) -- expect: false	conformance/arith/019_bitwise_float_error.lua:1: number has no integer representation
print(pcall(function() return "1.5" | 1 end)) -- expect: false	conformance/arith/019_bitwise_float_error.lua:2: attempt to perform bitwise operation on a string value (constant '1.5')
print(pcall(function() return 2^63 | 0 end)) -- expect: false	conformance/arith/019_bitwise_float_error.lua:3: number has no integer representation
