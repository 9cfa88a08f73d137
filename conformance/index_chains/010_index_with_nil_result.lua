local t = setmetatable({}, {__index = function() return nil end})
print(t.a, t[1]) -- expect: nil	nil
