-- expect: instructions
-- then: return tostring(escaped)
-- then-result: nil
pcall(function() while true do end end)
escaped = true
