print(("hello"):byte(2, 4)) -- expect: 101	108	108
print(("hello"):byte(-2, -1)) -- expect: 108	111
print(select("#", ("hello"):byte(4, 2))) -- expect: 0
