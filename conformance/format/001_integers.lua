print(string.format("%d %5d %-5d| %05d %+d %x %X %o", 42, 42, 42, 42, 42, 255, 255, 8)) -- expect: 42    42 42   | 00042 +42 ff FF 10
print(string.format("%d", -0), string.format("%d", 3.0), string.format("%i", 7)) -- expect: 0	3	7
