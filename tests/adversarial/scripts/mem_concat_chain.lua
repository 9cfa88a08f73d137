-- expect: memory
-- limits: instructions=none
local s = string.rep("x", 1000)
while true do s = s .. s .. s .. s .. s .. s .. s .. s end
