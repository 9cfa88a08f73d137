-- expect: instructions
local function grow(...) return grow(1, 2, 3, 4, 5, 6, 7, 8, ...) end
return coroutine.wrap(grow)()
