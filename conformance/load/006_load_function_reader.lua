local parts = {"return ", "1 ", "+ 41"}
local i = 0
local f = load(function() i = i + 1 return parts[i] end)
print(f()) -- expect: 42
