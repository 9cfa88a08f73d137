local seen
local mid = setmetatable({}, {__newindex = function(t, k, v) seen = t end})
local top = setmetatable({}, {__newindex = mid})
top.k = 1
print(seen == mid, seen == top) -- expect: true	false
