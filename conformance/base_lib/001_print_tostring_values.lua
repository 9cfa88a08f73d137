print(nil, true, false, 1, 1.5, "s") -- expect: nil	true	false	1	1.5	s
print() -- expect: 
print("") -- expect: 
