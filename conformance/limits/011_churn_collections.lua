-- Pinned peak of a program that churns through 5 MB of short strings: collections happen at
-- fixed points, so the peak is the same on every run.
-- instructions: 660186
-- memory_peak: 4194264
local keep = {}
for i = 1, 60000 do
  local s = string.rep("x", 64) .. i
  if i % 1000 == 0 then keep[#keep + 1] = s end
end
print(#keep, #keep[60])
-- expect: 60	69
