print(math.floor(3.7), math.floor(-3.7), math.ceil(3.2), math.ceil(-3.2), math.floor(5), math.ceil(-0.5)) -- expect: 3	-4	4	-3	5	0
print(math.type(math.floor(3.7)), math.floor(2^70), math.ceil(-2^70), math.floor(-0.0)) -- expect: integer	1.1805916207174e+21	-1.1805916207174e+21	0
