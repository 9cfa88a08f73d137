local t = setmetatable({}, {__len = function() return 10 end})
table.insert(t, "x")
print(rawget(t, 11)) -- expect: x
