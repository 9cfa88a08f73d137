local s = string.pack("<d", 1.5)
print(#s, string.unpack("<d", s)) -- expect: 8	1.5	9
print(string.unpack("<f", string.pack("<f", 0.1)) == 0.1) -- expect: false
