-- expect: memory
-- limits: instructions=none memory=64KiB
local keep = {}
for i = 1, 1000000 do keep[#keep + 1] = "k" .. i end
