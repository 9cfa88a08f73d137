local out = {}
for pos in ("abc"):gmatch("()") do out[#out + 1] = pos end
print(table.concat(out, ",")) -- expect: 1,2,3,4
