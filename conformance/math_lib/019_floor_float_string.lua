print(math.floor(-0.5), math.ceil(0.5), math.floor(1e308), math.ceil(-1e308)) -- expect: -1	1	1e+308	-1e+308
