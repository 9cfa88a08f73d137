local f = load("return print", "c", "t", nil)
print(pcall(f)) -- expect: false	[string "c"]:1: attempt to index a nil value (upvalue '_ENV')
