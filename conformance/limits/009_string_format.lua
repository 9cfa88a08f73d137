-- Pinned cost of string.format conversions and widths.
-- instructions: 4063
-- memory_peak: 48073
local out = {}
for i = 1, 200 do out[i] = string.format("%5d|%-8s|%08.3f|%x|%q", i, "n" .. i, i / 7, i * 255, "a\n" .. i) end
print(#table.concat(out), out[200])
-- expect: 7275	  200|n200    |0028.571|c738|"a\
-- expect: 200"
