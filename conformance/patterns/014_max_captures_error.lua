local p = string.rep("()", 33)
print(pcall(string.find, "x", p)) -- expect: false	too many captures
