local mt = getmetatable("")
print(type(mt), mt.__index == string, mt.__len) -- expect: table	true	nil
