local ok, e1 = pcall(error, "first")
local ok2, e2 = pcall(error, e1)
print(e1 == e2, e2) -- expect: true	first
