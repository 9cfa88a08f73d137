print(pcall(load, nil)) -- expect: false	bad argument #1 to 'load' (function expected, got nil)
