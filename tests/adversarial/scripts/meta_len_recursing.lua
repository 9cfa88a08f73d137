-- expect: instructions
local mt = {}
mt.__len = function(a) return #a end
return #setmetatable({}, mt)
