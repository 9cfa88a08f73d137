-- expect: memory
-- limits: instructions=none
local s = "x"
while true do s = s .. s end
