print(("hello"):find("l")) -- expect: 3	3
print(string.byte("abc", 1, -1)) -- expect: 97	98	99
