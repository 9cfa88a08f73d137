print(pcall(string.unpack, "i4", "ab")) -- expect: false	bad argument #2 to 'string.unpack' (data string too short)
