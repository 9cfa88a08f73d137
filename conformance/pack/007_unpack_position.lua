local s = string.pack("i1i1i1", 1, 2, 3)
print(string.unpack("i1", s, 2)) -- expect: 2	3
print(pcall(string.unpack, "i1", s, 5)) -- expect: false	bad argument #3 to 'string.unpack' (initial position out of string)
print(string.unpack("i1", s, -1)) -- expect: 3	4
