-- expect: instructions
local mt = {}
mt.__add = function(a, b) return setmetatable({v = a.v + b}, mt) end
local x = setmetatable({v = 0}, mt)
while true do x = x + 1 end
