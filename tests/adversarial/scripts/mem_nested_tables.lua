-- expect: memory
-- limits: instructions=none
local t = {}
while true do t = {t} end
