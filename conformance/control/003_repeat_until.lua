local i = 10
repeat i = i + 1 until true
print(i) -- expect: 11
