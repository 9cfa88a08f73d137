local n = 0
repeat n = n + 1 if n == 3 then break end until false
print(n) -- expect: 3
