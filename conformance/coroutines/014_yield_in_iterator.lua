local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i, i * i) end end)
end
for i, sq in gen(3) do print(i, sq) end

-- expect: 1	1
-- expect: 2	4
-- expect: 3	9
