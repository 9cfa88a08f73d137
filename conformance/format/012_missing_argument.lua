print(pcall(string.format, "%d")) -- expect: false	bad argument #2 to 'string.format' (no value)
print(pcall(string.format, "%s %s", "one")) -- expect: false	bad argument #3 to 'string.format' (no value)
