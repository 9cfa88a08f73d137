print(pcall(function() return "abc" + 1 end)) -- expect: false	conformance/arith/013_string_coercion_error.lua:1: attempt to add a 'string' with a 'number'
print(pcall(function() return {} + 1 end)) -- expect: false	conformance/arith/013_string_coercion_error.lua:2: attempt to perform arithmetic on a table value
