-- expect: return
-- result: '__tostring' must return a string
local e = setmetatable({}, {__tostring = function() return {} end})
local ok, m = pcall(tostring, e)
return m
