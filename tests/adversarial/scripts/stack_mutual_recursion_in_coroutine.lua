-- expect: return
-- limits: instructions=none memory=none seconds=10
-- result: false stack overflow
local f, g
function f() return g() + 1 end
function g() return f() + 1 end
local ok, e = coroutine.resume(coroutine.create(f))
return ok, (string.match(e, "stack overflow"))
