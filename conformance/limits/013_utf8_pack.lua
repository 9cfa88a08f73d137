-- Pinned cost of utf8 and string.pack/unpack.
-- instructions: 2048
-- memory_peak: 26547
local cps = {}
for i = 1, 200 do cps[i] = 0x400 + i * 37 end
local s = utf8.char(table.unpack(cps))
local n = 0
for _, c in utf8.codes(s) do n = n + c end
local packed = string.pack("<i4i8s2", 1, -2, s)
local a, b, c = string.unpack("<i4i8s2", packed)
print(utf8.len(s), #s, n, a, b, #c == #s)
-- expect: 200	573	948500	1	-2	true
