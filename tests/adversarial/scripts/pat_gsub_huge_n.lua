-- expect: instructions
return string.gsub(string.rep("a", 100000), "", "x", math.maxinteger)
