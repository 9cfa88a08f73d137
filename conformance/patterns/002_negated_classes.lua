print(("a1b2"):gsub("%D", ""), ("a1b2"):gsub("%A", ""), ("a b"):gsub("%S", "x")) -- expect: 12	ab	x x	2
