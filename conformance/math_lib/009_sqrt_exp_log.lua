print(math.sqrt(16), math.sqrt(2), math.exp(0), math.log(1), math.log(8, 2), math.log(100, 10), math.log(27, 3)) -- expect: 4.0	1.4142135623731	1.0	0.0	3.0	2.0	3.0
print(math.sqrt(-1), math.log(0), math.log(-1)) -- expect: -nan	-inf	-nan
