-- expect: memory
-- limits: instructions=none
-- then: return tostring(handler_ran)
-- then-result: nil
xpcall(function() local s = "x" while true do s = s .. s end end, function(m) handler_ran = true end)
