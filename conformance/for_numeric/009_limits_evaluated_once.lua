local calls = 0
local function lim() calls = calls + 1 return 3 end
for i = 1, lim() do end
print(calls) -- expect: 1
