print(load("goto nowhere")) -- expect: nil	[string "goto nowhere"]:1: no visible label 'nowhere' for <goto> at line 1
