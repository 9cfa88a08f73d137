local function deep(n) if n == 0 then return coroutine.yield("bottom") end return deep(n - 1) end
local co = coroutine.create(function() return deep(50) end)
print(coroutine.resume(co)) -- expect: true	bottom
print(coroutine.resume(co, "back up")) -- expect: true	back up
