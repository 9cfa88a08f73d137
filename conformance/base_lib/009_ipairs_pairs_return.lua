local t = {}
local f, s, c = pairs(t)
print(f == next, s == t, c) -- expect: true	true	nil
local f2, s2, c2 = ipairs(t)
print(s2 == t, c2) -- expect: true	0
