print(pcall(string.packsize, "s")) -- expect: false	bad argument #1 to 'string.packsize' (variable-length format)
print(pcall(string.packsize, "z")) -- expect: false	bad argument #1 to 'string.packsize' (variable-length format)
