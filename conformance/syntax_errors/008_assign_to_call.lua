print(load("f() = 1")) -- expect: nil	[string "f() = 1"]:1: syntax error near '='
print(load("a + b = 1")) -- expect: nil	[string "a + b = 1"]:1: syntax error near '+'
