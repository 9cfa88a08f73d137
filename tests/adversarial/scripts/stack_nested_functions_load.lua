-- expect: return
-- limits: instructions=1000000 memory=8MiB
-- result: nil C stack overflow
local f, e = load(string.rep("return function() ", 50000) .. string.rep("end ", 50000))
return f, (string.match(e, "C stack overflow"))
