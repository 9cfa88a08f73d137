-- expect: instructions
local s = string.rep("x", 60000)  -- s:byte(1, -1) results are charged 8 bytes each: fits 1 MiB
while true do s:upper() s:lower() s:reverse() s:byte(1, -1) end
