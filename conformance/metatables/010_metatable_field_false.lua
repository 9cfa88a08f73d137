local mt = {__metatable = false}
local t = setmetatable({}, mt)
print(getmetatable(t)) -- expect: false
