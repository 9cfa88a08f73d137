local s = "a\0b"
print(#s, s:len(), s:byte(2)) -- expect: 3	3	0
