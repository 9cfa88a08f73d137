print(load("x = 3..4")) -- expect: nil	[string "x = 3..4"]:1: malformed number near '3..4'
print(load("x = 0xg")) -- expect: nil	[string "x = 0xg"]:1: malformed number near '0xg'
print(load("x = 1e")) -- expect: nil	[string "x = 1e"]:1: malformed number near '1e'
print(load("x = 12abc")) -- expect: nil	[string "x = 12abc"]:1: malformed number near '12abc'
