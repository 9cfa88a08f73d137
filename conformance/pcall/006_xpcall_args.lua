print(xpcall(function(a, b) return a * b end, print, 6, 7)) -- expect: true	42
