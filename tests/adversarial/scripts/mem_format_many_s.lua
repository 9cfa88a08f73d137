-- expect: memory
-- limits: instructions=none
-- xfail: a collection while a builtin builds its result forgets the bytes already announced for it, so the result can outgrow the limit
local s = string.rep("x", 300000)
return string.format("%s%s%s", s, s, s)
