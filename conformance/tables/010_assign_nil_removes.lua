local t = {x = 1, y = 2}
t.x = nil
local n = 0
for _ in pairs(t) do n = n + 1 end
print(n, t.x) -- expect: 1	nil
