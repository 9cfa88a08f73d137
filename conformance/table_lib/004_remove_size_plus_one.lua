local t = {1, 2}
print(table.remove(t, 3), #t) -- expect: nil	2
