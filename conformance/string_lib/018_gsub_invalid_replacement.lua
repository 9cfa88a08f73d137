print(pcall(string.gsub, "abc", "a", "%2")) -- expect: false	invalid capture index %2
print(pcall(string.gsub, "abc", "a", "%x")) -- expect: false	invalid use of '%' in replacement string
