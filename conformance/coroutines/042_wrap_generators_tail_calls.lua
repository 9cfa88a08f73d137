-- generators built with wrap, tail calls inside coroutines, many values through yield/resume
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local s = 0
for i in range(100) do s = s + i end
print(s) -- expect: 5050
local function countdown(n) if n == 0 then return coroutine.yield("bottom") end return countdown(n - 1) end
local co = coroutine.wrap(countdown)
print(co(100000)) -- expect: bottom
print(co("back")) -- expect: back
local echo = coroutine.wrap(function(...)
  local args = table.pack(...)
  while true do args = table.pack(coroutine.yield(args.n, table.unpack(args, 1, args.n))) end
end)
print(echo(1, nil, 3)) -- expect: 3	1	nil	3
print(echo()) -- expect: 0
print(select("#", echo(table.unpack({}, 1, 20)))) -- expect: 21
