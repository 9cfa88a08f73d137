local t = {}
print(next(t)) -- expect: nil
t[1] = "a"
print(next(t)) -- expect: 1	a
print(next(t, 1)) -- expect: nil
