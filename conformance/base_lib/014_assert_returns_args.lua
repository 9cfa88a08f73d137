print(assert(1, 2, 3)) -- expect: 1	2	3
print(select("#", assert(true, nil, nil))) -- expect: 3
