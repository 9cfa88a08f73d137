-- expect: instructions
local t = {a = 1, b = 2, c = 3}
while true do for k, v in pairs(t) do end end
