-- expect: return
-- limits: instructions=none memory=64KiB
-- result: 3000
local n = 0
for i = 1, 3000 do local t = setmetatable({}, {__index = {i}}) n = n + 1 end
return n
