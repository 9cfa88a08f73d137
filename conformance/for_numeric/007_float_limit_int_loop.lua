for i = 1, 2.5 do io.write(i, " ") end print() -- expect: 1 2 
for i = 1, math.huge do if i > 3 then break end io.write(i, " ") end print() -- expect: 1 2 3 
for i = 3, -math.huge, -1 do if i < 1 then break end io.write(i, " ") end print() -- expect: 3 2 1 
