print(pcall(string.sub, "abc", 1.5)) -- expect: false	bad argument #2 to 'string.sub' (number has no integer representation)
