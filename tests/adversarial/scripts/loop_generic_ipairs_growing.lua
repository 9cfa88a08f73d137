-- expect: instructions
local t = {1}
for i, v in ipairs(t) do t[#t + 1] = v end
