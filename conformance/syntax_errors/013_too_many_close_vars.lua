print(load("local a <close>, b <close> = nil, nil")) -- expect: nil	[string "local a <close>, b <close> = nil, nil"]:1: multiple to-be-closed variables in local list
