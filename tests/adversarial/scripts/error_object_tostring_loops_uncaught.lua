-- expect: error
-- the host must never call __tostring of an error value
error(setmetatable({}, {__tostring = function() while true do end end}))
