-- expect: instructions
for w in string.gmatch(string.rep("a", 1000000), "x*") do end
