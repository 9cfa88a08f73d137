-- expect: error
-- message: hostile:3: too many captures
return string.find("a", string.rep("()", 33))
