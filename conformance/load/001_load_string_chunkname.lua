local f, err = load("error('x')", "mychunk")
print(pcall(f)) -- expect: false	[string "mychunk"]:1: x
print(pcall(load("error('y')", "=custom name"))) -- expect: false	custom name:1: y
print(pcall(load("error('z')", "@file.lua"))) -- expect: false	file.lua:1: z
