local log = {}
local t = setmetatable({x = 1}, {__newindex = function(t, k, v) log[#log + 1] = k rawset(t, k, v) end})
t.x = 2
t.y = 3
t.y = 4
print(#log, log[1], t.x, t.y) -- expect: 1	y	2	4
