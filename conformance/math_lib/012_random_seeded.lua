math.randomseed(42)
local a = {}
for i = 1, 5 do a[i] = math.random(1, 100) end
print(table.concat(a, " ")) -- expect: 50 76 86 54 64
math.randomseed(42)
print(math.random(1, 100) == a[1]) -- expect: true
