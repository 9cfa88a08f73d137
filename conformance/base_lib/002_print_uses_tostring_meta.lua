local t = setmetatable({}, {__tostring = function() return "meta tostring" end})
print(t, 1) -- expect: meta tostring	1
