print(2 ^ 2, 2 ^ 0.5, 2 ^ -1, (-8) ^ (1/3)) -- expect: 4.0	1.4142135623731	0.5	-nan
print(math.type(2 ^ 2), 0 ^ 0, 10 ^ 308 * 10) -- expect: float	1.0	inf
