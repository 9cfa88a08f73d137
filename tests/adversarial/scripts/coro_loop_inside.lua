-- expect: instructions
-- then: return tostring(escaped)
-- then-result: nil
local ok = coroutine.resume(coroutine.create(function() while true do end end))
escaped = true
