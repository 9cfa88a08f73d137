print(math.abs(-5), math.abs(5.5), math.abs(-0.0), math.abs(math.mininteger), math.abs(-math.huge)) -- expect: 5	5.5	0.0	-9223372036854775808	inf
