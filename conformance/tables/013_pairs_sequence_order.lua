local t = {"a", "b", "c"}
for k, v in ipairs(t) do print(k, v) end

-- expect: 1	a
-- expect: 2	b
-- expect: 3	c
