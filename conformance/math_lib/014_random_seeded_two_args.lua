math.randomseed(1, 2)
print(math.random(1000), math.random(math.mininteger, math.maxinteger)) -- expect: 130	-5058672734575677560
