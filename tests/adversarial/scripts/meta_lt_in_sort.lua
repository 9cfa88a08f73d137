-- expect: instructions
local mt = {__lt = function(a, b) while true do end end}
local t = {}
for i = 1, 10 do t[i] = setmetatable({}, mt) end
table.sort(t)
