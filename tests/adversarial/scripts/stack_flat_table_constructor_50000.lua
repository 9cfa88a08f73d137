-- expect: return
-- limits: instructions=10000000 memory=2GiB seconds=60
-- result: 50000
local f = assert(load("return {" .. string.rep("1, ", 50000) .. "}"))
return #f()
