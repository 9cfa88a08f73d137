local function f(...) return {...}, {..., "x"} end
local a, b = f(1, 2, 3)
print(#a, #b, b[1], b[2]) -- expect: 3	2	1	x
