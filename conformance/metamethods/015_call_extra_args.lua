local t = setmetatable({}, {__call = function(self, a, b) return type(self), a, b end})
print(t(1, 2)) -- expect: table	1	2
print(t()) -- expect: table	nil	nil
