local T = setmetatable({}, {__tostring = function(self) return "I am T" end})
print(T) -- expect: I am T
print(string.format("%s", T)) -- expect: I am T
