print(load("local x <nope> = 1")) -- expect: nil	[string "local x <nope> = 1"]:1: unknown attribute 'nope'
print(load("goto f; local a; ::f:: a = 1")) -- expect: nil	[string "goto f; local a; ::f:: a = 1"]:1: <goto f> at line 1 jumps into the scope of local 'a'
