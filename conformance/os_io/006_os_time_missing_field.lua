print(pcall(os.time, {year = 2020})) -- expect: false	field 'month' missing in date table
