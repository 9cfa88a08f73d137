print(load("local z <foo> = 1")) -- expect: nil	[string "local z <foo> = 1"]:1: unknown attribute 'foo'
