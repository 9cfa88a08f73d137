print(pcall(setmetatable, 1, {})) -- expect: false	bad argument #1 to 'setmetatable' (table expected, got number)
print(pcall(setmetatable, {}, 1)) -- expect: false	bad argument #2 to 'setmetatable' (nil or table expected, got number)
print(pcall(setmetatable, {})) -- expect: false	bad argument #2 to 'setmetatable' (nil or table expected, got no value)
