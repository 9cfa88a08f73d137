print(("aaa"):gsub("a", "b", 0), ("aaa"):gsub("a", "b", -1)) -- expect: aaa	aaa	0
