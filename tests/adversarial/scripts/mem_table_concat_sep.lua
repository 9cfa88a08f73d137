-- expect: memory
-- limits: instructions=none
local t = {}
for i = 1, 3000 do t[i] = "" end
return table.concat(t, string.rep("s", 1000))
