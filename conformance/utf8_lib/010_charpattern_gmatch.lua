local out = {}
for ch in ("h\u{E9}\u{20AC}"):gmatch(utf8.charpattern) do out[#out + 1] = #ch end
print(table.concat(out, ",")) -- expect: 1,2,3
