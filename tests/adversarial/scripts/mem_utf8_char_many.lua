-- expect: memory
-- limits: instructions=none
return utf8.char(table.unpack(setmetatable({}, {__index = function() return 0x7FFFFFFF end}), 1, 200000))
