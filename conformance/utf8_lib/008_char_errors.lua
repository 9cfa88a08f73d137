print(pcall(utf8.char, -1)) -- expect: false	bad argument #1 to 'utf8.char' (value out of range)
print(pcall(utf8.char, "x")) -- expect: false	bad argument #1 to 'utf8.char' (number expected, got string)
print(#utf8.char(0x7FFFFFFF), utf8.char()) -- expect: 6	
