local x <const> = 10
print(x * 2) -- expect: 20
print(load("local y <const> = 1; y = 2")) -- expect: nil	[string "local y <const> = 1; y = 2"]:1: attempt to assign to const variable 'y'
