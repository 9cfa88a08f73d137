local inner = setmetatable({}, {__call = function(self, x, y) return "inner", type(x), y end})
local outer = setmetatable({}, {__call = inner})
print(pcall(outer, 5)) -- expect: true	inner	table	5
