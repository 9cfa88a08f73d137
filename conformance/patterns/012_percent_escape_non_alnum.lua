print(("a.b"):match("%."), ("1+1"):match("%d%+%d")) -- expect: .	1+1
