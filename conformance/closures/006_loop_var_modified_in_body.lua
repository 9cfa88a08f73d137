local fs = {}
for i = 1, 3 do
  local captured = i
  fs[#fs + 1] = function() return captured end
  i = i * 10
  fs[#fs + 1] = function() return i end
end
print(fs[1](), fs[2](), fs[3](), fs[4]()) -- expect: 1	10	2	20
