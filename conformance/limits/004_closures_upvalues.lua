-- Pinned cost and memory of closures sharing upvalues.
-- instructions: 6407
-- memory_peak: 121038
local function counter()
  local n = 0
  return function() n = n + 1 return n end, function() return n end
end
local incs, gets = {}, {}
for i = 1, 200 do incs[i], gets[i] = counter() end
local total = 0
for i = 1, 200 do for _ = 1, i % 5 do incs[i]() end total = total + gets[i]() end
print(total)
-- expect: 400
