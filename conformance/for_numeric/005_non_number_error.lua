print(pcall(function() for i = 1, {} do end end)) -- expect: false	conformance/for_numeric/005_non_number_error.lua:1: bad 'for' limit (number expected, got table)
print(pcall(function() for i = nil, 2 do end end)) -- expect: false	conformance/for_numeric/005_non_number_error.lua:2: bad 'for' initial value (number expected, got nil)
print(pcall(function() for i = 1, 2, "x" do end end)) -- expect: false	conformance/for_numeric/005_non_number_error.lua:3: bad 'for' step (number expected, got string)
