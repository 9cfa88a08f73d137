print(pcall(math.random, 2, 1)) -- expect: false	bad argument #1 to 'math.random' (interval is empty)
print(pcall(math.random, 1, 2, 3)) -- expect: false	wrong number of arguments
print(pcall(math.random, 0.5)) -- expect: false	bad argument #1 to 'math.random' (number has no integer representation)
