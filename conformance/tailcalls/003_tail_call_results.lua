local function three() return 1, 2, 3 end
local function tc() return three() end
print(tc()) -- expect: 1	2	3
