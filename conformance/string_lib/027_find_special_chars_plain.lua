print(("a+b"):find("+", 1, true), ("a+b"):find("%+")) -- expect: 2	2	2
