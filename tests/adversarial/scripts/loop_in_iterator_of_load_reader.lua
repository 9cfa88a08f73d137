-- expect: instructions
load(function() while true do end end)
