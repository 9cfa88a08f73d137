-- expect: instructions
local t = setmetatable({}, {__call = function(self) return self() end})
return t()
