print(math.abs(-3), math.max(1.0, 2), math.min(3, 4.0), math.fmod(6, 4), math.fmod(6.0, 4)) -- expect: 3	2	3	2	2.0
