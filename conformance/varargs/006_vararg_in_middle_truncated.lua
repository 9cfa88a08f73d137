local function f(...) return ..., "end" end
print(f(1, 2, 3)) -- expect: 1	end
local function g(...) return "start", ... end
print(g(1, 2, 3)) -- expect: start	1	2	3
