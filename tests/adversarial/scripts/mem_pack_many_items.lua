-- expect: memory
-- limits: instructions=none
-- xfail: a collection while a builtin builds its result forgets the bytes already announced for it, so the result can outgrow the limit
return string.pack(string.rep("s8", 30000), table.unpack(setmetatable({}, {__index = function() return "0123456789abcdef0123456789abcdef" end}), 1, 30000))
