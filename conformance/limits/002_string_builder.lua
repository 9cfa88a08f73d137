-- Pinned cost of tostring, table appends and table.concat.
-- instructions: 7299
-- memory_peak: 72644
local parts = {}
for i = 1, 1000 do parts[#parts + 1] = tostring(i * 3) end
local s = table.concat(parts, ",")
print(#s, s:sub(1, 20))
-- expect: 4630	3,6,9,12,15,18,21,24
