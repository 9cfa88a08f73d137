print(load("local x <close> = nil; x = 1")) -- expect: nil	[string "local x <close> = nil; x = 1"]:1: attempt to assign to const variable 'x'
