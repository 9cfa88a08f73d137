-- expect: return
-- result: false X
local ok = pcall(function() getmetatable("").__index = {upper = function() return "pwned" end} end)
return ok, ("x"):upper()
