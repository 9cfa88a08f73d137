local t = {"a", "b", "c", "d"}
table.remove(t, 2)
print(table.concat(t), #t, t[4]) -- expect: acd	3	nil
