-- expect: instructions
-- a cheap comparator called many times: the sort itself must be charged per comparison
local t = {}
for i = 1, 3000 do t[i] = (i * 7919) % 3001 end
while true do table.sort(t, function(a, b) return a > b end) table.sort(t) end
