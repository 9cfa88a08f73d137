-- expect: memory
-- limits: instructions=none
local s = string.rep("x", 300000)
return string.format("%s%s%s", s, s, s)
