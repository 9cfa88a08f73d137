print(load("if true then break end")) -- expect: nil	[string "if true then break end"]:1: break outside loop at line 1
