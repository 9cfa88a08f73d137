local t = setmetatable({}, {__len = function(self) return 42 end})
print(#t) -- expect: 42
local u = setmetatable({}, {__len = function() return "x" end})
print(#u) -- expect: x
