local function none() end
print(none()) -- expect: 
print((none())) -- expect: nil
print(select("#", none()), select("#", (none()))) -- expect: 0	1
