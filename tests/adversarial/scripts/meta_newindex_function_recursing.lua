-- expect: instructions
local t = setmetatable({}, {__newindex = function(self, k, v) self[k] = v end})
t.x = 1
