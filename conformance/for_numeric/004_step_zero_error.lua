print(pcall(function() for i = 1, 10, 0 do end end)) -- expect: false	conformance/for_numeric/004_step_zero_error.lua:1: 'for' step is zero
print(pcall(function() for i = 1.0, 10, 0.0 do end end)) -- expect: false	conformance/for_numeric/004_step_zero_error.lua:2: 'for' step is zero
