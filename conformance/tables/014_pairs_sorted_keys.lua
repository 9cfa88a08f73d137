local t = {z = 1, a = 2, m = 3, [1] = 4}
local keys = {}
for k in pairs(t) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, ",")) -- expect: 1,a,m,z
