print(pcall(ipairs)) -- expect: false	bad argument #1 to 'ipairs' (value expected)
local f, s, c = ipairs(nil)
print(type(f), s, c) -- expect: function	nil	0
print(pcall(f, s, c)) -- expect: false	attempt to index a nil value
