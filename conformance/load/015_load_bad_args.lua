print(pcall(load)) -- expect: false	bad argument #1 to 'load' (function expected, got no value)
print(pcall(load, 1)) -- expect: true	nil	[string "1"]:1: unexpected symbol near '1'
