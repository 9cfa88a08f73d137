print(("a.b.c"):find(".", 1, true), ("a.b.c"):find("."), ("abc"):find("b", -1)) -- expect: 2	1	nil
print(("abc"):find(""), ("abc"):find("", 10), ("abc"):find("", 4)) -- expect: 1	nil	4	3
