local s = setmetatable({}, {__idiv = function() return "idiv" end, __mod = function() return "mod" end})
print(s // 0, s % 0) -- expect: idiv	mod
