print(utf8.codepoint("h\u{E9}!", 1, -1)) -- expect: 104	233	33
print(utf8.codepoint("abc"), utf8.codepoint("abc", 3)) -- expect: 97	99
print(pcall(utf8.codepoint, "\xff")) -- expect: false	invalid UTF-8 code
print(pcall(utf8.codepoint, "abc", 4)) -- expect: false	bad argument #3 to 'utf8.codepoint' (out of bounds)
