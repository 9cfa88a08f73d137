-- expect: memory
-- limits: instructions=none
local s = string.rep("a", 300000)
local t = {s:upper(), s:lower(), s:reverse()}
