print(#string.pack("!4 b i4", 1, 2), #string.pack("b i4", 1, 2)) -- expect: 8	5
print(pcall(string.pack, "!3 i4", 1)) -- expect: false	bad argument #1 to 'string.pack' (format asks for alignment not power of 2)
