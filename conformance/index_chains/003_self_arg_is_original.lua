local proto = setmetatable({}, {__index = function(t, k) return t end})
local obj = setmetatable({}, {__index = proto})
print(obj.x == proto, obj.x == obj) -- expect: true	false
