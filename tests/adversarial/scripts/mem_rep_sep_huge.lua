-- expect: memory
-- limits: instructions=none
return string.rep("x", 2^29, "yy")
