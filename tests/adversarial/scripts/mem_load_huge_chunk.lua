-- expect: memory
-- limits: instructions=none
return load(string.rep("x = 1 ", 200000))
