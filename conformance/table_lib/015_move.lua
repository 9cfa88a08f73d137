local a = {1, 2, 3, 4, 5}
table.move(a, 2, 4, 1)
print(table.concat(a, ",")) -- expect: 2,3,4,4,5
local b = table.move({1, 2, 3}, 1, 3, 3, {})
print(b[1], b[3], b[5]) -- expect: nil	1	3
local c = {1, 2, 3}
table.move(c, 1, 3, 2)
print(table.concat(c, ",")) -- expect: 1,1,2,3
