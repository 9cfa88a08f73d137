print(pcall(table.insert, {1, 2}, 5, "x")) -- expect: false	bad argument #2 to 'table.insert' (position out of bounds)
print(pcall(table.insert, {1, 2}, 0, "x")) -- expect: false	bad argument #2 to 'table.insert' (position out of bounds)
print(pcall(table.insert, {1, 2}, 3, "ok")) -- expect: true
print(pcall(table.insert, nil, 1)) -- expect: false	bad argument #1 to 'table.insert' (table expected, got nil)
