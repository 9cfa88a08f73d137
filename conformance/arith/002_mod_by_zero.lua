print(pcall(function() return 1 % 0 end)) -- expect: false	conformance/arith/002_mod_by_zero.lua:1: attempt to perform 'n%0'
print(1 % 0.0, -1 % 0.0) -- expect: -nan	-nan
