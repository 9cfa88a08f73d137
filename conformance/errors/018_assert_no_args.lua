print(pcall(assert)) -- expect: false	bad argument #1 to 'assert' (value expected)
