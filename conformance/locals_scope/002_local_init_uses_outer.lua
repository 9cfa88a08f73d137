local a = 10
local a = a * 2
print(a) -- expect: 20
