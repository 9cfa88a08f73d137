-- expect: instructions
local v = setmetatable({}, {__tostring = function() while true do end end})
return string.format("%s", v)
