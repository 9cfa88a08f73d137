print(pcall(string.pack, "i1", 200)) -- expect: false	bad argument #2 to 'string.pack' (integer overflow)
print(pcall(string.pack, "I1", -1)) -- expect: false	bad argument #2 to 'string.pack' (unsigned overflow)
print(pcall(string.pack, "c2", "abc")) -- expect: false	bad argument #2 to 'string.pack' (string longer than given size)
