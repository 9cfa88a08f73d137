for x = 0, 1, 0.25 do io.write(x, " ") end print()
for i = 1.0, 3 do io.write(i, " ") end print()

-- expect: 0 0.25 0.5 0.75 1 
-- expect: 1 2 3 
