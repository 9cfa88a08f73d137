local t = setmetatable({}, {__name = "MyType"})
print(pcall(string.rep, t)) -- expect: false	bad argument #1 to 'string.rep' (string expected, got MyType)
