print(pcall(string.format, "%d", "x")) -- expect: false	bad argument #2 to 'string.format' (number expected, got string)
print(pcall(string.format, "%f", {})) -- expect: false	bad argument #2 to 'string.format' (number expected, got table)
print(pcall(string.format, "%c", "a")) -- expect: false	bad argument #2 to 'string.format' (number expected, got string)
