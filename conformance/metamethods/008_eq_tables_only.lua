local calls = 0
local mt = {__eq = function(a, b) calls = calls + 1 return true end}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
print(a == b, a ~= b, a == a, a == 1, calls) -- expect: true	false	true	false	2
