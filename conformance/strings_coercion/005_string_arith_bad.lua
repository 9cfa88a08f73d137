print(pcall(function() return "1x" + 1 end)) -- expect: false	conformance/strings_coercion/005_string_arith_bad.lua:1: attempt to add a 'string' with a 'number'
print(pcall(function() return "" * 1 end)) -- expect: false	conformance/strings_coercion/005_string_arith_bad.lua:2: attempt to mul a 'string' with a 'number'
print(pcall(function() return 1 - "nan" end)) -- expect: false	conformance/strings_coercion/005_string_arith_bad.lua:3: attempt to sub a 'number' with a 'string'
