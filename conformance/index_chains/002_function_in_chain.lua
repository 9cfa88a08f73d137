local base = setmetatable({}, {__index = function(t, k) return "fn:" .. k end})
local mid = setmetatable({}, {__index = base})
local top = setmetatable({}, {__index = mid})
print(top.anything) -- expect: fn:anything
