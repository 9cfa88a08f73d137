print(math.type(1), math.type(1.0), math.type("1"), math.type(nil)) -- expect: integer	float	nil	nil
print(pcall(math.type)) -- expect: false	bad argument #1 to 'math.type' (value expected)
