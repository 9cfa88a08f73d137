-- expect: memory
-- limits: instructions=1000000 memory=16MiB seconds=5
local function grow(...) local r = grow(1, 2, 3, 4, 5, 6, 7, 8, ...) return r end
return grow()
