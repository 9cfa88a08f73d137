-- the ^ operator and math.pow share one definition: C pow's zero, infinity and NaN cases
print(0.0 ^ -1, (-0.0) ^ -1, (-0.0) ^ -3, (-0.0) ^ -2) -- expect: inf	-inf	-inf	inf
local z, m = 0, -1
print(z ^ m, 0 ^ -2, (0/0) ^ 0, 1 ^ (0/0), 2 ^ 0.5 == math.sqrt(2)) -- expect: inf	inf	1.0	1.0	true
print(math.pow(0.0, -1), math.pow(-0.0, -3), (-8) ^ (1/3), math.huge ^ -1) -- expect: inf	-inf	-nan	0.0
for i = -3, 3 do
  for j = -3, 3 do
    if i ~= 0 or j > 0 then assert(i ^ j == 1 / i ^ (-j)) end
  end
end
print((-2) ^ 1e300, 2 ^ 1e300, (-2) ^ 1023.0) -- expect: inf	inf	-8.9884656743116e+307
