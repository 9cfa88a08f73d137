print(pcall(io.write, {}))

-- expect: false	bad argument #1 to 'io.write' (string expected, got table)
