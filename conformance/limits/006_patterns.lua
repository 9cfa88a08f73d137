-- Pinned cost of pattern matching: one instruction per matcher step.
-- instructions: 11699
-- memory_peak: 20582
local text = string.rep("The quick brown fox jumps over the lazy dog. ", 40)
local words = 0
for w in text:gmatch("%a+") do words = words + 1 end
local s, n = text:gsub("(%a+) (%a+)", "%2 %1")
print(words, n, s:sub(1, 25), text:find("lazy%s+(%a+)"))
-- expect: 360	160	quick The fox brown over 	36	43	dog
