-- expect: memory
-- limits: instructions=none
local t = {}
while true do table.insert(t, true) end
