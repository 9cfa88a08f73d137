local t = {1, 2, nil, 4}
local n = 0
for _ in ipairs(t) do n = n + 1 end
print(n) -- expect: 2
