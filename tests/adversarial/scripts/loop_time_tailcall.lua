-- expect: time
-- limits: instructions=none seconds=0.3
local function f(n) return f(n + 1) end
return f(1)
