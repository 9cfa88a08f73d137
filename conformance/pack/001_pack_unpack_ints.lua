local s = string.pack("i4", 100)
print(#s, string.unpack("i4", s)) -- expect: 4	100	5
print(string.unpack("<i2", "\1\0"), string.unpack(">i2", "\1\0")) -- expect: 1	256	3
