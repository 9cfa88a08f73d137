local i = 0
repeat local j = i; i = i + 1 until j >= 3
print(i) -- expect: 4
