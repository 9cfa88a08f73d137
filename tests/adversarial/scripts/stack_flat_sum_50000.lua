-- expect: return
-- limits: instructions=1000000 memory=16MiB seconds=20
-- result: 50001
local f = assert(load("return " .. string.rep("1 + ", 50000) .. "1"))
return f()
