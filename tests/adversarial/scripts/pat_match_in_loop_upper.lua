-- expect: instructions
local s = string.rep("x", 100000)
while true do s:upper() s:lower() s:reverse() s:byte(1, -1) end
