-- expect: instructions
local stop = false
while true do if stop then break end end
