local function mr() return 1, 2, 3 end
local a, b, c, d = mr()
print(a, b, c, d) -- expect: 1	2	3	nil
a, b, c, d = 0, mr()
print(a, b, c, d) -- expect: 0	1	2	3
