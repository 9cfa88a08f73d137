local t = {[1] = "a", "b"}
print(t[1]) -- expect: b
local u = {"x", [1] = "y"}
print(u[1]) -- expect: x
