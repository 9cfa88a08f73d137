-- expect: memory
-- (a recursion holds ~1 KiB of real memory per Python frame: the memory limit stops it first)
local t = setmetatable({}, {})
getmetatable(t).__index = function(self, k) return self[k] end
return t.x
