-- expect: time
-- limits: instructions=none seconds=0.3
while true do end
