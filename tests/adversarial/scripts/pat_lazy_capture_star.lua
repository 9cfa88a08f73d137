-- expect: instructions
return string.find(string.rep("a", 5000), "(.-)*")
