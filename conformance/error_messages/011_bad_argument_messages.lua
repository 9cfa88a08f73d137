print(pcall(string.rep)) -- expect: false	bad argument #1 to 'string.rep' (string expected, got no value)
print(pcall(string.sub)) -- expect: false	bad argument #1 to 'string.sub' (string expected, got no value)
print(pcall(string.char, -1)) -- expect: false	bad argument #1 to 'string.char' (value out of range)
print(pcall(string.char, "x")) -- expect: false	bad argument #1 to 'string.char' (number expected, got string)
print(pcall(math.floor, "a")) -- expect: false	bad argument #1 to 'math.floor' (number expected, got string)
print(pcall(table.insert, {}, 1, 2, 3)) -- expect: false	wrong number of arguments to 'insert'
print(pcall(table.concat, {{}})) -- expect: false	invalid value (table) at index 1 in table for 'concat'
