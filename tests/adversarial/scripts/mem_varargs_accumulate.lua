-- expect: instructions
-- xfail: a call copies its whole vararg list (O(n) Python work) for a constant instruction charge and no memory charge: 50,000 instructions take seconds
local function grow(...) return grow(1, 2, 3, 4, 5, 6, 7, 8, ...) end
return grow()
