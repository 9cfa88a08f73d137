local p = table.pack(1, nil, 3, nil)
print(p.n, p[1], p[2], p[3], p[4], #{n = 0}) -- expect: 4	1	nil	3	nil	0
