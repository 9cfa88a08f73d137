local fs = {}
for k, v in ipairs({"a", "b", "c"}) do fs[k] = function() return v end end
print(fs[1](), fs[2](), fs[3]()) -- expect: a	b	c
