print(("f(a(b)c) d"):match("%b()"), ("[[x]]"):match("%b[]")) -- expect: (a(b)c)	[[x]]
