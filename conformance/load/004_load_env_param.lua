local env = {y = 5}
local f = load("x = y * 2; return x", "chunk", "t", env)
print(f(), env.x, x) -- expect: 10	10	nil
