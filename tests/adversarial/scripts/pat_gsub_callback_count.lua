-- expect: instructions
local n = 0
string.gsub(string.rep("ab", 200000), "%a", function(c) n = n + 1 end)
