print(3 % -2, -3 % 2, -3 % -2, 3 % 2) -- expect: -1	1	-1	1
print(3.0 % -2, -3.0 % 2, 5.5 % 2, -5.5 % 2) -- expect: -1.0	1.0	1.5	0.5
print(5 % math.huge, -5 % math.huge, 5 % -math.huge) -- expect: 5.0	inf	-inf
