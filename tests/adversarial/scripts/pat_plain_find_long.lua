-- expect: instructions
local s = string.rep("a", 1000000)
while true do string.find(s, string.rep("a", 1000) .. "b", 1, true) end
