-- expect: memory
-- limits: instructions=none
local s = "a"
for i = 1, 64 do s = s:gsub("a", "aa") end
