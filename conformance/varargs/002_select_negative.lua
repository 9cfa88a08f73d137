print(select(-1, "a", "b", "c")) -- expect: c
print(select(-3, "a", "b", "c")) -- expect: a	b	c
print(select(2, "a", "b", "c")) -- expect: b	c
print(select(5, "a", "b")) -- expect: 
