-- expect: instructions
for i = 0, math.mininteger, -1 do end
