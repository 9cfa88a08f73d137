-- float modulo takes the sign of the divisor, and is exact when both have the same sign
print(-4 % -5.0, -4.0 % -5, 4.0 % 5, -4 % 5.0, 4 % -5.0) -- expect: -4.0	-4.0	4.0	1.0	-1.0
print(-1 % math.huge, 1 % -math.huge, 1 % math.huge, -1 % -math.huge) -- expect: inf	-inf	1.0	-1.0
print(5.5 % -math.huge, 0.0 % -2, -0.0 % 2, -10.0 % -2) -- expect: -inf	0.0	-0.0	-0.0
