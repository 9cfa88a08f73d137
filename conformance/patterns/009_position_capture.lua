print(("hello"):match("()ll()")) -- expect: 3	5
print(("abc"):gsub("()", "%1")) -- expect: 1a2b3c4	4
