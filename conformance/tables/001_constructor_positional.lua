local t = {10, 20, 30, n = 3, [5] = 50}
print(t[1], t[2], t[3], t.n, t[4], t[5]) -- expect: 10	20	30	3	nil	50
