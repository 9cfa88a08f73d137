local t = {}
t["1"] = "s"
t[1] = "n"
print(t["1"], t[1]) -- expect: s	n
