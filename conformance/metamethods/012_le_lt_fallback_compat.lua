-- lua5.4 here is built with LUA_COMPAT_5_3 (math.pow exists too), so __le falls back to "not (b < a)".
local mt = {__lt = function(a, b) return true end}
local x, y = setmetatable({}, mt), setmetatable({}, mt)
print(x < y) -- expect: true
print(pcall(function() return x <= y end)) -- expect: true	false
