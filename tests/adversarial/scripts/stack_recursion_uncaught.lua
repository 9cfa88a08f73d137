-- expect: error
-- limits: instructions=none memory=none seconds=10
-- message: match:^hostile:4: stack overflow
local function f(n) return f(n + 1) + 1 end
f(1)
