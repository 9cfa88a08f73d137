-- expect: return
-- limits: instructions=1000000 memory=16MiB seconds=20
-- result: 1
local f = assert(load("return " .. string.rep("1 and ", 50000) .. "1"))
return f()
