print(pcall(tonumber, "10", 1)) -- expect: false	bad argument #2 to 'tonumber' (base out of range)
print(pcall(tonumber, "10", 37)) -- expect: false	bad argument #2 to 'tonumber' (base out of range)
print(pcall(tonumber, 10, 16)) -- expect: false	bad argument #1 to 'tonumber' (string expected, got number)
