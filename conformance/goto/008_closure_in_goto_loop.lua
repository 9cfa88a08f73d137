local fs = {}
local i = 1
::again::
do
  local j = i
  fs[i] = function() return j end
end
i = i + 1
if i <= 3 then goto again end
print(fs[1](), fs[2](), fs[3]()) -- expect: 1	2	3
