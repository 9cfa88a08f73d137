print(tostring(3), tostring(3.0), tostring(-3.5), tostring(1e300 * 1e10)) -- expect: 3	3.0	-3.5	inf
print(3 | 0, 3.0 + 0) -- expect: 3	3.0
