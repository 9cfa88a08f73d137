print(load("return select('#', ...)")(nil, nil)) -- expect: 2
