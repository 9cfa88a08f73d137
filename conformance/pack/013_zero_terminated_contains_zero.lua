print(pcall(string.pack, "z", "a\0b")) -- expect: false	bad argument #2 to 'string.pack' (string contains zeros)
