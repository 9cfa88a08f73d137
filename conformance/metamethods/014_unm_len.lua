local t = setmetatable({}, {__unm = function(a, b) return rawequal(a, b) end, __len = function(a, b) return rawequal(a, b) end})
print(-t, #t) -- expect: true	true
