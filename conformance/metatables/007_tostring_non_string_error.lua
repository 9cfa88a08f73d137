local t = setmetatable({}, {__tostring = function() return 1 end})
print(pcall(tostring, t)) -- expect: true	1
