print(pcall(utf8.len, "abc", 5)) -- expect: false	bad argument #2 to 'utf8.len' (initial position out of bounds)
print(pcall(utf8.len, "abc", 1, 4)) -- expect: false	bad argument #3 to 'utf8.len' (final position out of bounds)
