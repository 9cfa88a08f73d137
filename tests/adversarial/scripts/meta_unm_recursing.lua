-- expect: instructions
local mt = {}
mt.__unm = function(a) return -a end
return -setmetatable({}, mt)
