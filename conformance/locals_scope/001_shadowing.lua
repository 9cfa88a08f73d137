local x = 1
do
  local x = x + 1
  print(x) -- expect: 2
end
print(x) -- expect: 1
