print(pcall(table.concat, {1, nil, 3}, ",", 1, 3)) -- expect: false	invalid value (nil) at index 2 in table for 'concat'
print(pcall(table.concat, {true})) -- expect: false	invalid value (boolean) at index 1 in table for 'concat'
