-- expect: error
-- limits: instructions=none
-- message: hostile:4: resulting string too large
return string.rep("xx", math.maxinteger)
