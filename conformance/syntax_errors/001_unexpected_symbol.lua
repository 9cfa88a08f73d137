print(load("x = = 1")) -- expect: nil	[string "x = = 1"]:1: unexpected symbol near '='
print(load("local 1 = 2")) -- expect: nil	[string "local 1 = 2"]:1: <name> expected near '1'
print(load(")")) -- expect: nil	[string ")"]:1: unexpected symbol near ')'
