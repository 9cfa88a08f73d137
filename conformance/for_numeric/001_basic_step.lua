for i = 1, 3 do io.write(i, " ") end print() -- expect: 1 2 3 
for i = 3, 1, -1 do io.write(i, " ") end print() -- expect: 3 2 1 
for i = 1, 10, 4 do io.write(i, " ") end print() -- expect: 1 5 9 
