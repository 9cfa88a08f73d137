local mt = {__eq = function() return "yes" end}
local a, b = setmetatable({}, mt), {}
print(a == b, b == a) -- expect: true	true
