local store = {}
local t = setmetatable({}, {__newindex = store})
t.a = 1
print(rawget(t, "a"), store.a) -- expect: nil	1
t.a = 2
print(store.a) -- expect: 2
