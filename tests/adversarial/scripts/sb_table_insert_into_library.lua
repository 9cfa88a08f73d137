-- expect: return
-- result: false false false
return (pcall(table.insert, math, 1)), (pcall(table.move, {1, 2}, 1, 2, 1, string)), (pcall(table.remove, utf8, 1) and math[1] ~= nil)
