-- expect: return
-- limits: instructions=10000000 memory=2GiB seconds=60
-- result: 1
local f = assert(load("return " .. string.rep("1 and ", 50000) .. "1"))
return f()
