-- expect: memory
-- limits: instructions=none
local t = {string.rep("x", 1000)}
while true do t[1] = table.concat({t[1], t[1], t[1]}) end
