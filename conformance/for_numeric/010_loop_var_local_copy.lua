for i = 1, 3 do
  local before = i
  i = 100
  io.write(before, " ")
end
print() -- expect: 1 2 3 
