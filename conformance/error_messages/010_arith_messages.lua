print(pcall(function() return {} + 1 end)) -- expect: false	conformance/error_messages/010_arith_messages.lua:1: attempt to perform arithmetic on a table value
print(pcall(function() return 1 * true end)) -- expect: false	conformance/error_messages/010_arith_messages.lua:2: attempt to perform arithmetic on a boolean value
print(pcall(function() return -{} end)) -- expect: false	conformance/error_messages/010_arith_messages.lua:3: attempt to perform arithmetic on a table value
print(pcall(function() return print .. "" end)) -- expect: false	conformance/error_messages/010_arith_messages.lua:4: attempt to concatenate a function value (global 'print')
