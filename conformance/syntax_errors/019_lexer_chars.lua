print(load("x = @")) -- expect: nil	[string "x = @"]:1: unexpected symbol near '@'
print(load("x = $1")) -- expect: nil	[string "x = $1"]:1: unexpected symbol near '$'
print(load("x = 1 ! 2")) -- expect: nil	[string "x = 1 ! 2"]:1: unexpected symbol near '!'
