-- expect: memory
-- (a recursion holds ~1 KiB of real memory per Python frame: the memory limit stops it first)
local mt = {}
mt.__unm = function(a) return -a end
return -setmetatable({}, mt)
