-- expect: instructions
local function f(...) return f(...) end
return f(1, 2, 3)
