-- expect: memory
-- (a recursion holds ~1 KiB of real memory per Python frame: the memory limit stops it first)
local t = setmetatable({}, {__call = function(self) return self() end})
return t()
