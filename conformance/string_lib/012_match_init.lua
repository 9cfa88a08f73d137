print(("aaa"):match("a", 2), ("abc"):match(".", -1)) -- expect: a	c
