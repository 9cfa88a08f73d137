local t = setmetatable({}, {__add = function(a, b) return "from right" end})
print(5 + t, "x" + t) -- expect: from right	from right
