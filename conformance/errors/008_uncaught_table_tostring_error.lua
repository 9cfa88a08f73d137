error(setmetatable({}, {__tostring = function() return "custom error object" end}))

-- expect error: custom error object
