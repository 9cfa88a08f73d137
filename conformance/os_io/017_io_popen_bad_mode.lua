print(pcall(io.popen, "ls", "rw")) -- expect: false	bad argument #2 to 'io.popen' (invalid mode)
print(pcall(io.popen, "ls", "x")) -- expect: false	bad argument #2 to 'io.popen' (invalid mode)
print(pcall(io.popen)) -- expect: false	bad argument #1 to 'io.popen' (string expected, got no value)
