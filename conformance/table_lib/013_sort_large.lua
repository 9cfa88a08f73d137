local t = {}
for i = 1, 200 do t[i] = (i * 7919) % 211 end
table.sort(t)
local ok = true
for i = 2, #t do if t[i - 1] > t[i] then ok = false end end
print(ok, t[1], t[200]) -- expect: true	1	210
