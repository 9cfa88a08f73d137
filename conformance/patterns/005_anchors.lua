print(("abc"):find("^b"), ("abc"):find("c$"), ("a$c"):find("$c"), ("abc"):match("^(a)")) -- expect: nil	3	2	a
