-- Pinned cost of plain calls, arithmetic and comparisons.
-- instructions: 142291
-- memory_peak: 12086
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
-- expect: 6765
