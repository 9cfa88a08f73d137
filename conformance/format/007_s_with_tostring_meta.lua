local t = setmetatable({}, {__tostring = function() return "OBJ" end})
print(string.format("%s|%5s", t, t)) -- expect: OBJ|  OBJ
