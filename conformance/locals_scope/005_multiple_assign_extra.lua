local a, b, c = 1, 2
print(a, b, c) -- expect: 1	2	nil
local d, e = 1, 2, 3
print(d, e) -- expect: 1	2
