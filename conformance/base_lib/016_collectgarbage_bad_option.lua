print(pcall(collectgarbage, "bogus")) -- expect: false	bad argument #1 to 'collectgarbage' (invalid option 'bogus')
