-- expect: memory
-- limits: instructions=none
local i = 0
while true do i = i + 1 _G["g" .. i] = i end
