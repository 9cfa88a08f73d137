-- expect: memory
-- limits: instructions=none
local function count(...) return select("#", ...) end
return count(table.unpack({}, 1, 500000))
