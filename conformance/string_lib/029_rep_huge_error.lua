print(pcall(string.rep, "x", 2^62)) -- expect: false	resulting string too large
