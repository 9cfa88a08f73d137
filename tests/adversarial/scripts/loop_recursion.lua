-- expect: memory
-- (a recursion holds ~1 KiB of real memory per Python frame: the memory limit stops it first)
local function f(n) return 1 + f(n + 1) end
f(1)
