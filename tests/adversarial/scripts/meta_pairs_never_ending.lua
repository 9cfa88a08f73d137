-- expect: instructions
local t = setmetatable({}, {__pairs = function(t) return function() return 1, 1 end, t, nil end})
for k, v in pairs(t) do end
