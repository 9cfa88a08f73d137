-- expect: memory
-- limits: instructions=none
return string.rep("", 2^30, "x")
