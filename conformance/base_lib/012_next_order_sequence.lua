local t = {"a", "b", "c"}
local k, v = next(t)
print(k, v) -- expect: 1	a
k, v = next(t, k)
print(k, v) -- expect: 2	b
