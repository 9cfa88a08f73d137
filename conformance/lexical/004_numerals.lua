print(0x10, 0xA.8p1, 1e2, .5, 3., 0x.1) -- expect: 16	21.0	100.0	0.5	3.0	0.0625
print(0xffffffffffffffff) -- expect: -1
print(9223372036854775807, 9223372036854775808) -- expect: 9223372036854775807	9.2233720368548e+18
print(1E-2, 0X1P4) -- expect: 0.01	16.0
