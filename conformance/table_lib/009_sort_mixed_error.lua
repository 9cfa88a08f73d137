print(pcall(table.sort, {1, "x", 2})) -- expect: false	attempt to compare string with number
