for i = 1, math.maxinteger, math.maxinteger // 2 do io.write(i, " ") end print() -- expect: 1 4611686018427387904 9223372036854775807 
