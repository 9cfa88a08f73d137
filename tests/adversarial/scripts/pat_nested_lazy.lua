-- expect: instructions
return string.find(string.rep("a", 3000), ".-.-.-.-b")
