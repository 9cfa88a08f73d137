local t = setmetatable({}, {__index = {k = "v"}})
print(t.k, rawget(t, "k")) -- expect: v	nil
