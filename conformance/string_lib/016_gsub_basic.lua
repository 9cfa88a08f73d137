print(("hello"):gsub("l", "L")) -- expect: heLLo	2
print(("hello"):gsub("l", "L", 1)) -- expect: heLlo	1
print(("abc"):gsub("", "-")) -- expect: -a-b-c-	4
