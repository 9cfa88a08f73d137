print(pcall(setmetatable)) -- expect: false	bad argument #1 to 'setmetatable' (table expected, got no value)
print(pcall(ipairs)) -- expect: false	bad argument #1 to 'ipairs' (value expected)
print(pcall(rawget, {})) -- expect: false	bad argument #2 to 'rawget' (value expected)
print(pcall(rawset, {}, 1)) -- expect: false	bad argument #3 to 'rawset' (value expected)
