print(load("goto l; local x = 1; ::l:: print(x)")) -- expect: nil	[string "goto l; local x = 1; ::l:: print(x)"]:1: <goto l> at line 1 jumps into the scope of local 'x'
