print(pcall(function() return 1 // 0 end)) -- expect: false	conformance/arith/001_int_div_by_zero.lua:1: attempt to divide by zero
print(3 // 0.0, -3 // 0.0, 0.0 // 0.0) -- expect: inf	-inf	-nan
