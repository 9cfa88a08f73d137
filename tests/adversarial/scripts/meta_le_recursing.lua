-- expect: memory
-- (a recursion holds ~1 KiB of real memory per Python frame: the memory limit stops it first)
local mt = {}
mt.__le = function(a, b) return a <= b end
local a = setmetatable({}, mt)
return a <= a
