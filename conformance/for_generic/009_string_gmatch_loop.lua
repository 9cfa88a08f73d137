for w in string.gmatch("one two  three", "%a+") do print(w) end

-- expect: one
-- expect: two
-- expect: three
