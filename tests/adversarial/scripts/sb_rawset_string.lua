-- expect: return
-- result: false attempt to modify a read-only table x
local ok, e = pcall(rawset, string, "rep", print)
return ok, (string.match(e, "attempt to modify a read%-only table")), string.rep("x", 1)
