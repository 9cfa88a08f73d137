print("a" < "b", "abc" < "abd", "Z" < "a", "" < "a", "a" < "aa", "10" < "9") -- expect: true	true	true	true	true	true
print("a\0b" < "a\0c", "a\0" > "a") -- expect: true	true
