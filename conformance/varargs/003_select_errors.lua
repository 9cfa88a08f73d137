print(pcall(select, 0, "a")) -- expect: false	bad argument #1 to 'select' (index out of range)
print(pcall(select, -4, "a", "b", "c")) -- expect: false	bad argument #1 to 'select' (index out of range)
print(pcall(select, "x")) -- expect: false	bad argument #1 to 'select' (number expected, got string)
