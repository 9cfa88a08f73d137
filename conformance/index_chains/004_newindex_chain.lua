local sink = {}
local mid = setmetatable({}, {__newindex = sink})
local top = setmetatable({}, {__newindex = mid})
top.k = "v"
print(rawget(top, "k"), rawget(mid, "k"), sink.k) -- expect: nil	nil	v
