-- expect: memory
-- limits: instructions=none
local src = setmetatable({}, {__index = function() return 1 end})
local dst = {}
table.move(src, 1, 1e8, 1, dst)
