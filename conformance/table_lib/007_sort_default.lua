local t = {5, 2, 8, 1, 9, 3}
table.sort(t)
print(table.concat(t, " ")) -- expect: 1 2 3 5 8 9
local s = {"banana", "apple", "Cherry"}
table.sort(s)
print(table.concat(s, " ")) -- expect: Cherry apple banana
