local t = {}
pcall(function() t[1] = "set"; error("x"); t[2] = "never" end)
print(t[1], t[2]) -- expect: set	nil
