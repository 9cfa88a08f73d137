print(pcall(table.sort, {}, 1)) -- expect: true
print(pcall(table.sort)) -- expect: false	bad argument #1 to 'table.sort' (table expected, got no value)
