print(pcall(table.move, {}, 1, math.maxinteger, 2)) -- expect: false	bad argument #4 to 'table.move' (destination wrap around)
print(pcall(table.move, {1}, 1, 1)) -- expect: false	bad argument #4 to 'table.move' (number expected, got no value)
