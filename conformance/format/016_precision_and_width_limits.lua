print(string.format("%99d", 1):len(), pcall(string.format, "%.100f", 1)) -- expect: 99	false	invalid conversion specification: '%.100f'
