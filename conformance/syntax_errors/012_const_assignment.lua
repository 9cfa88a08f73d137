print(load("local c <const> = 1\nc = 2")) -- expect: nil	[string "local c <const> = 1..."]:2: attempt to assign to const variable 'c'
print(load("local function f() local c <const> = 1; return function() c = 5 end end")) -- expect: nil	[string "local function f() local c <const> = 1; retur..."]:1: attempt to assign to const variable 'c'
