local t = {1, 2, 3, 4}
print(table.remove(t), table.concat(t, ",")) -- expect: 4	1,2,3
print(table.remove(t, 1), table.concat(t, ",")) -- expect: 1	2,3
print(table.remove({}), table.remove({}, 0)) -- expect: nil	nil
print(pcall(table.remove, {1, 2}, 5)) -- expect: false	bad argument #1 to 'table.remove' (position out of bounds)
