print(math.max(1, 5, 3), math.min(1, 5, 3), math.max(1, 2.5), math.min(-0.0, 0), math.max(2, 2.0)) -- expect: 5	1	2.5	-0.0	2
print(pcall(math.max)) -- expect: false	bad argument #1 to 'math.max' (value expected)
