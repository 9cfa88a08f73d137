print(pcall(string.format, "%q", {})) -- expect: false	bad argument #2 to 'string.format' (value has no literal form)
print(pcall(string.format, "%10q", "x")) -- expect: false	specifier '%q' cannot have modifiers
