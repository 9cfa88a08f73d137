local t = {}
t[3.0] = "three"
print(t[3], math.type(next(t))) -- expect: three	integer
t[-0.0] = "zero"
print(t[0]) -- expect: zero
