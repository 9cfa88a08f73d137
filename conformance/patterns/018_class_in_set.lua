print(("a1 b2"):gsub("[%d%s]", "_")) -- expect: a__b_	3
