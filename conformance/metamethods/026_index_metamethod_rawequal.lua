local key = {}
local t = setmetatable({}, {__index = function(_, k) return k == key end})
print(t[key], t[{}]) -- expect: true	false
