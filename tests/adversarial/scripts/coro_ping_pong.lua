-- expect: instructions
local a, b
a = coroutine.create(function() while true do coroutine.yield("ping") end end)
b = coroutine.create(function() while true do coroutine.yield("pong") end end)
while true do coroutine.resume(a) coroutine.resume(b) end
