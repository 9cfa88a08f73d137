print(1 / 2, 4 / 2, math.type(4 / 2), 1 / 0, -1 / 0) -- expect: 0.5	2.0	float	inf	-inf
