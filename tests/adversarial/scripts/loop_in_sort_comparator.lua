-- expect: instructions
table.sort({3, 1, 2, 5, 4}, function(a, b) while true do end end)
