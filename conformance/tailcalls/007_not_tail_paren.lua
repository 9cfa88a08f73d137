local function mr() return 1, 2 end
local function f() return (mr()) end
print(f()) -- expect: 1
