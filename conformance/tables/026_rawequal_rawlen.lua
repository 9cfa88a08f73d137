local t = setmetatable({1, 2}, {__len = function() return 99 end, __eq = function() return true end})
print(#t, rawlen(t), rawlen("abc"), rawequal(t, {}), rawequal(t, t)) -- expect: 99	2	3	false	true
