print(pcall(table.sort, {3, 1, 2}, function(a, b) error("cmp failed", 0) end)) -- expect: false	cmp failed
