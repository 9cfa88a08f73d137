print(select("#", select(3, 1, 2))) -- expect: 0
print(pcall(select, 1.5, "a")) -- expect: false	bad argument #1 to 'select' (number has no integer representation)
