local function apply(f, ...) return f(...) end
print(apply(function(a, b) return a + b end, 3, 4)) -- expect: 7
