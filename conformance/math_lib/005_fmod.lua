print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(7.5, 2), math.fmod(1, 0.0)) -- expect: 1	-1	1	1.5	-nan
print(pcall(math.fmod, 1, 0)) -- expect: false	bad argument #2 to 'math.fmod' (zero)
print(math.fmod(math.mininteger, -1), math.fmod(5, math.huge)) -- expect: 0	5.0
