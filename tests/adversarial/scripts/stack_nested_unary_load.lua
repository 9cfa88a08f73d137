-- expect: return
-- limits: instructions=1000000 memory=32MiB
-- result: nil C stack overflow
local f, e = load("return " .. string.rep("not ", 100000) .. "true")
return f, (string.match(e, "C stack overflow"))
