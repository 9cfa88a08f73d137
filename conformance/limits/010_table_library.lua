-- Pinned cost of table.insert/remove/move/unpack (one instruction per element moved).
-- instructions: 71441
-- memory_peak: 41678
local t = {}
for i = 1, 300 do table.insert(t, 1, i) end
for i = 1, 100 do table.remove(t, 1) end
local u = table.move(t, 1, #t, 1, {})
print(#t, #u, select("#", table.unpack(u)), u[1], u[#u])
-- expect: 200	200	200	200	1
