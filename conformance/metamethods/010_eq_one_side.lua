local a = setmetatable({}, {__eq = function() return true end})
local b = {}
print(a == b, b == a) -- expect: true	true
