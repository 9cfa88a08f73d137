print(pcall(string.find, "a", "[a")) -- expect: false	malformed pattern (missing ']')
print(pcall(string.find, "a", "%")) -- expect: false	malformed pattern (ends with '%')
print(pcall(string.find, "a", "(a")) -- expect: false	unfinished capture
print(pcall(string.find, "a", "a)")) -- expect: true	nil
print(pcall(string.find, "a", "%b")) -- expect: false	malformed pattern (missing arguments to '%b')
print(pcall(string.find, "a", "%f")) -- expect: false	missing '[' after '%f' in pattern
print(pcall(string.match, "a", "%1")) -- expect: false	invalid capture index %1
