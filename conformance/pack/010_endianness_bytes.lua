print(string.pack(">I4", 0x01020304):byte(1, -1)) -- expect: 1	2	3	4
print(string.pack("<I4", 0x01020304):byte(1, -1)) -- expect: 4	3	2	1
