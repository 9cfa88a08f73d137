local x = 1
local function f() return x end
x = 2
print(f()) -- expect: 2
