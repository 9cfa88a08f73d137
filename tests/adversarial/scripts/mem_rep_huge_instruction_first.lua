-- expect: instructions
-- the work charge is refused before anything is built
return string.rep("x", 2^30)
