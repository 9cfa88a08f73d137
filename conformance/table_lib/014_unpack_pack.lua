local p = table.pack("a", "b", nil)
print(p.n, table.unpack(p, 1, p.n)) -- expect: 3	a	b	nil
