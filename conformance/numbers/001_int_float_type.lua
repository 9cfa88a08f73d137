print(math.type(1), math.type(1.0), math.type("1")) -- expect: integer	float	nil
print(1 == 1.0, math.type(2^2), math.type(7 // 2), math.type(7.0 // 2)) -- expect: true	float	integer	float
