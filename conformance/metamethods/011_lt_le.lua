local mt = {}
mt.__lt = function(a, b) return a.v < b.v end
mt.__le = function(a, b) return a.v <= b.v end
local x, y = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(x < y, x > y, x <= y, x >= y, y <= y) -- expect: true	false	true	false	true
