-- expect: memory
-- limits: instructions=none
local big = string.rep("z", 50000)
return (string.rep("a", 1000):gsub("a", function() return big end))
