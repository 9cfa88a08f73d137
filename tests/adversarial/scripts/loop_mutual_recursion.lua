-- expect: memory
-- (a recursion holds ~1 KiB of real memory per Python frame: the memory limit stops it first)
local f, g
function f(n) return g(n) + 1 end
function g(n) return f(n) + 1 end
f(1)
