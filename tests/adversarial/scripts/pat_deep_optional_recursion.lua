-- expect: instructions
-- (PUC says "pattern too complex" at a C-stack depth; luavm backtracks, charged per step)
local n = 100000
return string.match(string.rep("a", n), string.rep("a?", n) .. "b")
