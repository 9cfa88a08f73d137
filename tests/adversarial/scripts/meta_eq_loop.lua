-- expect: instructions
local mt = {__eq = function(a, b) while true do end end}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
return a == b
