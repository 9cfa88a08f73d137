-- expect: time
-- limits: instructions=none seconds=0.3
while true do pcall(error, "x") end
