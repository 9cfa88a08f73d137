local ok, e = pcall(table.sort, {5, 4, 3, 2, 1, 6, 7, 8, 9, 10, 11, 12}, function(a, b) return true end)
print(ok, e) -- expect: false	invalid order function for sorting
