-- expect: time
-- limits: instructions=none seconds=0.3
local co = coroutine.wrap(function() while true do end end)
co()
