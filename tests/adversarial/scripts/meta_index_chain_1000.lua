-- expect: instructions
local t = {}
for i = 1, 1000 do t = setmetatable({}, {__index = t}) end
while true do local _ = t.missing end
