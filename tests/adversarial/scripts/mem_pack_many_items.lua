-- expect: memory
-- limits: instructions=none
return string.pack(string.rep("s8", 30000), table.unpack(setmetatable({}, {__index = function() return "0123456789abcdef0123456789abcdef" end}), 1, 30000))
