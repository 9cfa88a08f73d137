-- expect: instructions
-- then: return tostring(handler_ran) .. " " .. tostring(after)
-- then-result: nil nil
xpcall(function() while true do end end, function(m) handler_ran = true return m end)
after = true
