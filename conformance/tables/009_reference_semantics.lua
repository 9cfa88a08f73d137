local a = {}
local b = a
b.x = 1
print(a.x, a == b) -- expect: 1	true
