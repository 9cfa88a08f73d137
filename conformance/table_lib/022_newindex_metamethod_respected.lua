local log = {}
local t = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k rawset(t, k, v) end})
table.insert(t, "a")
table.insert(t, "b")
print(#log, log[1], log[2]) -- expect: 2	1	2
