-- expect: instructions
return string.match(string.rep("a", 3000), "a*a*a*a*a*b")
