local c = setmetatable({}, {__call = function(self, x) return x + 1 end})
local function f(x) return c(x) end
print(f(41)) -- expect: 42
