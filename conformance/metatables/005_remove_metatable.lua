local t = setmetatable({}, {__index = function() return 1 end})
print(t.x) -- expect: 1
setmetatable(t, nil)
print(t.x) -- expect: nil
