math.randomseed(123)
local r = math.random()
print(r >= 0 and r < 1, math.type(math.random(5)), math.random(3, 3)) -- expect: true	integer	3
