local t = {}
t[1.0] = "a"
t[2] = "b"
print(t[1], t[2.0], #t) -- expect: a	b	2
t[2^53] = "big"
print(t[math.tointeger(2^53)]) -- expect: big
