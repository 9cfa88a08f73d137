print(math.exp(1000), math.exp(-1000), 2^1024, -(2^1024)) -- expect: inf	0.0	inf	-inf
