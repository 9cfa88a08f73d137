-- expect: instructions
local co = coroutine.create(function() pcall(function() while true do end end) coroutine.yield("escaped") end)
return coroutine.resume(co)
