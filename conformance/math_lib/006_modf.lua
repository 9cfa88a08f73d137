print(math.modf(3.7), math.modf(-3.7), math.modf(5), math.modf(math.huge), math.modf(-math.huge)) -- expect: 3	-3	5	inf	-inf	0.0
