print(pcall(function() local n = 5 return n:rep(2) end)) -- expect: false	conformance/string_lib/024_string_methods_on_numbers.lua:1: attempt to index a number value (local 'n')
print(string.rep(5, 2), string.len(123), string.upper(1.5)) -- expect: 55	3	1.5
