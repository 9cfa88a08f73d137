local f, msg = load("if then")
print(f, msg) -- expect: nil	[string "if then"]:1: unexpected symbol near 'then'
