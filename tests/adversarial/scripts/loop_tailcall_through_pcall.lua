-- expect: memory
-- (a recursion holds ~1 KiB of real memory per Python frame: the memory limit stops it first)
local function f() return pcall(f) end
return f()
