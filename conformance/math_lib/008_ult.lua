print(math.ult(1, 2), math.ult(-1, 2), math.ult(2, -1), math.ult(math.maxinteger, math.mininteger)) -- expect: true	false	true	true
print(pcall(math.ult, 1.5, 2)) -- expect: false	bad argument #1 to 'math.ult' (number has no integer representation)
