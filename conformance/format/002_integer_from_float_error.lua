print(pcall(string.format, "%d", 3.5)) -- expect: false	bad argument #2 to 'string.format' (number has no integer representation)
print(pcall(string.format, "%x", "1.5")) -- expect: false	bad argument #2 to 'string.format' (number has no integer representation)
