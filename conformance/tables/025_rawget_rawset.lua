local t = setmetatable({}, {__index = function() return "meta" end, __newindex = function() end})
rawset(t, "k", "v")
print(t.k, rawget(t, "k"), t.other, rawget(t, "other")) -- expect: v	v	meta	nil
t.z = 1
print(rawget(t, "z")) -- expect: nil
