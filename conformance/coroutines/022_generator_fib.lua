local fib = coroutine.wrap(function()
  local a, b = 0, 1
  while true do coroutine.yield(a) a, b = b, a + b end
end)
local out = {}
for i = 1, 10 do out[i] = fib() end
print(table.concat(out, " ")) -- expect: 0 1 1 2 3 5 8 13 21 34
