-- expect: return
-- limits: instructions=1000000 memory=8MiB
-- result: nil C stack overflow
local f, e = load(string.rep("do ", 100000) .. string.rep("end ", 100000))
return f, (string.match(e, "C stack overflow"))
