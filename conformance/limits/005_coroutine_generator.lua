-- Pinned cost of resume/yield: coroutines share their creator's budget.
-- instructions: 2751
-- memory_peak: 15318
local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i * i) end end)
end
local sum = 0
for v in gen(300) do sum = sum + v end
print(sum)
-- expect: 9045050
