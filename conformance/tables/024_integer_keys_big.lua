local t = {}
t[math.maxinteger] = 1
t[math.mininteger] = 2
print(t[math.maxinteger], t[math.mininteger], #t) -- expect: 1	2	0
