local fs = {}
local i = 0
repeat
  i = i + 1
  local k = i * 10
  fs[i] = function() k = k + 1 return k end
until i == 2
print(fs[1](), fs[1](), fs[2]()) -- expect: 11	12	21
