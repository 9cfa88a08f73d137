print(pcall(function(a, b) return a + b end, 1, 2)) -- expect: true	3
print(pcall(function() end)) -- expect: true
