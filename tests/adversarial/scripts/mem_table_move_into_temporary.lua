-- expect: memory
-- limits: instructions=none
local src = setmetatable({}, {__index = function() return 1 end})
return table.move(src, 1, 1e8, 1, {})
