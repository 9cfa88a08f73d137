print(nil or "d", false or nil, 0 or 1, "" and 5, nil and 1, false and error("x")) -- expect: d	nil	0	5	nil	false
print(1 and 2 or 3, nil and 2 or 3, false or false) -- expect: 2	3	false
print(not nil, not 0, not "") -- expect: true	false	false
