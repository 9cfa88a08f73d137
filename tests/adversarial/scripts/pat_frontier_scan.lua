-- expect: instructions
local s = string.rep("a", 200000)
while true do string.find(s, "%f[%W]") end
