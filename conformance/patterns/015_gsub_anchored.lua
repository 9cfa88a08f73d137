print(("aaa"):gsub("^a", "b")) -- expect: baa	1
