print(math.fmod(-5, 3), -5 % 3, math.fmod(5, -3), 5 % -3) -- expect: -2	1	2	-1
print(math.fmod(-5.5, 2), -5.5 % 2) -- expect: -1.5	0.5
