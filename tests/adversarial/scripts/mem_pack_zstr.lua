-- expect: memory
-- limits: instructions=none
return string.pack("zzz", string.rep("x", 300000), string.rep("y", 300000), string.rep("z", 300000))
