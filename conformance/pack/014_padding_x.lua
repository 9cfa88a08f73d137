print(#string.pack("bxb", 1, 2), string.unpack("bxb", "\1\0\2")) -- expect: 3	1	2	4
