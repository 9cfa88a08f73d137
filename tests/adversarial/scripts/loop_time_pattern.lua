-- expect: time
-- limits: instructions=none seconds=0.3
local s = string.rep("a", 60)
while true do string.find(s, string.rep("a?", 60) .. string.rep("a", 60)) end
