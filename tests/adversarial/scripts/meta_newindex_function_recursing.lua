-- expect: memory
-- (a recursion holds ~1 KiB of real memory per Python frame: the memory limit stops it first)
local t = setmetatable({}, {__newindex = function(self, k, v) self[k] = v end})
t.x = 1
