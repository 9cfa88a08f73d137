-- expect: return
-- result: false false
local ok1 = pcall(function() getmetatable("").__add = function() return "pwned" end end)
local ok2 = pcall(rawset, getmetatable(""), "__call", print)
return ok1, ok2
