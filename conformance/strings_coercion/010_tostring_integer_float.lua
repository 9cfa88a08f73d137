local t = {[1] = "a", [1.5] = "b"}
print(t[1.0], t[3/2]) -- expect: a	b
