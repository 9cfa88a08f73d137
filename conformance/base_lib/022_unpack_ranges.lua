print(table.unpack({1, 2, 3})) -- expect: 1	2	3
print(table.unpack({1, 2, 3}, 2)) -- expect: 2	3
print(table.unpack({1, 2, 3}, 2, 5)) -- expect: 2	3	nil	nil
print(table.unpack({1, 2, 3}, 3, 1)) -- expect: 
print(table.unpack({}, 1, 0)) -- expect: 
