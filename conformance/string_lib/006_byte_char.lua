print(string.byte("ABC"), string.byte("ABC", 2), string.byte("ABC", -1), string.byte("ABC", 10)) -- expect: 65	66	67
print(string.char(72, 105), string.char()) -- expect: Hi	
print(pcall(string.char, 256)) -- expect: false	bad argument #1 to 'string.char' (value out of range)
