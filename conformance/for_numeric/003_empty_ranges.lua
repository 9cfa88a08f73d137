local n = 0
for i = 1, 0 do n = n + 1 end
for i = 0, 1, -1 do n = n + 1 end
print(n) -- expect: 0
