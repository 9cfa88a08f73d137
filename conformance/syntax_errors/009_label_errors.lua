print(load("::a:: ::a::")) -- expect: nil	[string "::a:: ::a::"]:1: label 'a' already defined on line 1
print(load("goto x")) -- expect: nil	[string "goto x"]:1: no visible label 'x' for <goto> at line 1
print(load("do ::l:: end goto l")) -- expect: nil	[string "do ::l:: end goto l"]:1: no visible label 'l' for <goto> at line 1
