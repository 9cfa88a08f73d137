-- expect: memory
-- limits: instructions=none
return string.char(table.unpack(setmetatable({}, {__index = function() return 65 end}), 1, 900000))
