-- expect: instructions
local mt = {}
mt.__le = function(a, b) return a <= b end
local a = setmetatable({}, mt)
return a <= a
