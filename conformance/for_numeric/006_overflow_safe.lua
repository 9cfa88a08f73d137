local n = 0
for i = math.maxinteger - 2, math.maxinteger do n = n + 1 end
print(n) -- expect: 3
for i = math.mininteger, math.mininteger + 2 do n = n + 1 end
print(n) -- expect: 6
for i = math.mininteger + 1, math.mininteger, -1 do n = n + 1 end
print(n) -- expect: 8
