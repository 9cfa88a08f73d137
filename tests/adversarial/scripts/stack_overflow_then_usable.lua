-- expect: return
-- limits: instructions=none memory=none seconds=10
-- result: 3 55
local function f() return 1 + f() end
local n = 0
for i = 1, 3 do if not pcall(f) then n = n + 1 end end
local function fib(k) if k < 2 then return k end return fib(k - 1) + fib(k - 2) end
return n, fib(10)
