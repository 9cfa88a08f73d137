print(select("#"), select("#", nil), select("#", nil, nil), select("#", 1, nil, 3, nil)) -- expect: 0	1	2	4
