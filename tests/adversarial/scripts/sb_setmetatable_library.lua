-- expect: return
-- result: false false
local ok1 = pcall(setmetatable, string, {__index = function() return print end})
local ok2 = pcall(setmetatable, getmetatable(""), {})
return ok1, ok2
