local s = utf8.char(0xD800)
print(#s, utf8.len(s), utf8.len(s, 1, -1, true)) -- expect: 3	nil	1
print(pcall(utf8.codepoint, s), utf8.codepoint(s, 1, 1, true)) -- expect: false	55296
