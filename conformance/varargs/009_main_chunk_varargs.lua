local n = select("#", ...)
print(n) -- expect: 0
