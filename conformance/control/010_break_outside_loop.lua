print(load("break")) -- expect: nil	[string "break"]:1: break outside loop at line 1
