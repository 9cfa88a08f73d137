local parts = {}
for i = 1, 5 do parts[#parts + 1] = i end
print(parts[1] .. parts[2] .. parts[3] .. parts[4] .. parts[5]) -- expect: 12345
