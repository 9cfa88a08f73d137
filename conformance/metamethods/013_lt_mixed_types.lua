local mt = {__lt = function(a, b) return "truthy" end}
local t = setmetatable({}, mt)
print(t < 1, 1 < t, "s" < t) -- expect: true	true	true
