print(select("#", 1, 2, 3), select(2, "a", "b", "c")) -- expect: 3	b	c
