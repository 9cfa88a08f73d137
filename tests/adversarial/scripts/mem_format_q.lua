-- expect: memory
-- limits: instructions=none
return string.format("%q", string.rep("\0", 400000))
