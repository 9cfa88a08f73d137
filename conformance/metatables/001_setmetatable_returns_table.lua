local t = {}
print(setmetatable(t, {}) == t, getmetatable(t) ~= nil) -- expect: true	true
print(getmetatable({}), getmetatable(1)) -- expect: nil	nil
