-- expect: return
-- limits: instructions=none memory=none seconds=10
-- result: false hostile:4: stack overflow
local function f() return 1 + f() end
local ok, e = pcall(f)
return ok, e
