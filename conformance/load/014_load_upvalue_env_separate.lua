local f = load("g = 1")
local env = {}
f = load("g = 1", "c", "t", env)
f()
print(env.g, g) -- expect: 1	nil
