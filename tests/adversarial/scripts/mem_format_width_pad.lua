-- expect: memory
-- limits: instructions=none
return string.format(string.rep("%99d", 20000), table.unpack(setmetatable({}, {__index = function() return 1 end}), 1, 20000))
