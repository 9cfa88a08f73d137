print(pcall(xpcall, print)) -- expect: false	bad argument #2 to 'xpcall' (function expected, got no value)
