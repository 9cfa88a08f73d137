-- expect: return
-- limits: instructions=10000000 memory=2GiB seconds=60
-- result: 50000
local f = assert(load("local x = 0 " .. string.rep("x = x + 1 ", 50000) .. "return x"))
return f()
