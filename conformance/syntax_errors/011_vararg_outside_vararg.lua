print(load("local function f() return ... end")) -- expect: nil	[string "local function f() return ... end"]:1: cannot use '...' outside a vararg function near '...'
