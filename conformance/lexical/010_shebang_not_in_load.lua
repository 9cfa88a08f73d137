print(load("#!/bin/lua\nreturn 1")) -- expect: nil	[string "#!/bin/lua..."]:1: unexpected symbol near '#'
