-- Pinned cost and peak memory of a string grown by repeated '..'.
-- instructions: 19901
-- memory_peak: 310357
local s = ""
for i = 1, 400 do s = s .. i .. ";" end
print(#s)
-- expect: 1492
