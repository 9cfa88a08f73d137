print(load("function f() return ... end")) -- expect: nil	[string "function f() return ... end"]:1: cannot use '...' outside a vararg function near '...'
