print(pcall(rawlen, 5)) -- expect: false	bad argument #1 to 'rawlen' (table or string expected, got number)
