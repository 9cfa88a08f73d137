local mt = {__lt = function(a, b) return a.v < b.v end}
local t = {}
for _, v in ipairs({3, 1, 2}) do t[#t + 1] = setmetatable({v = v}, mt) end
table.sort(t)
print(t[1].v, t[2].v, t[3].v) -- expect: 1	2	3
