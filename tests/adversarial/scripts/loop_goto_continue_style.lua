-- expect: instructions
for i = 1, math.maxinteger do
  if i % 2 == 0 then goto continue end
  ::continue::
end
