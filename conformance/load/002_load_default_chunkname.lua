print(pcall(load("local a = 1\nerror('line two')"))) -- expect: false	[string "local a = 1..."]:2: line two
print(load("x = = 1")) -- expect: nil	[string "x = = 1"]:1: unexpected symbol near '='
