-- expect: memory
-- limits: instructions=none
return string.pack("c2000000", "")
