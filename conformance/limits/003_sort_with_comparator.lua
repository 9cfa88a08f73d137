-- Pinned cost of table.sort: one instruction per comparison plus the comparator's own cost.
-- instructions: 18046
-- memory_peak: 40134
local t = {}
for i = 1, 500 do t[i] = string.format("k%05d", (i * 7919) % 1009) end
table.sort(t, function(a, b) return a > b end)
print(t[1], t[250], t[500])
-- expect: k01006	k00505	k00001
