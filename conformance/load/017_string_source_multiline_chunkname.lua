print(pcall(load("\nerror('x')"))) -- expect: false	[string "..."]:2: x
print(pcall(load("  error('x')"))) -- expect: false	[string "  error('x')"]:1: x
