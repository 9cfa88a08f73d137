print(0/0, -(0/0), math.huge, -math.huge) -- expect: -nan	nan	inf	-inf
local nan = 0/0
print(nan == nan, nan ~= nan, nan < 1, nan > 1) -- expect: false	true	false	false
