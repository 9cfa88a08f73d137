-- expect: instructions
xpcall(function() error("boom") end, function(m) while true do end end)
