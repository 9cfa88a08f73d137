local function mr() return 1, 2, 3 end
print(mr() + 10, (mr())) -- expect: 11	1
local x, y = mr(), 20
print(x, y) -- expect: 1	20
