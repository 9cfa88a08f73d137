-- expect: memory
-- limits: instructions=none
return string.gsub(string.rep("a", 100000), "a", string.rep("b", 100))
