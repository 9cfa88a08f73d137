print(0.1 + 0.2 == 0.3, 0.1 + 0.2) -- expect: false	0.3
print(string.format("%.17g", 0.1)) -- expect: 0.10000000000000001
print(100000000000000, 1e14) -- expect: 100000000000000	1e+14
