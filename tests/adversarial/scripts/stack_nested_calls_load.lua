-- expect: return
-- limits: instructions=1000000 memory=8MiB
-- result: nil C stack overflow
local f, e = load("return " .. string.rep("f(", 100000) .. string.rep(")", 100000))
return f, (string.match(e, "C stack overflow"))
