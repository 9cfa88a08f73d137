-- expect: instructions
string.gsub(string.rep("a", 10), "a", function() while true do end end)
