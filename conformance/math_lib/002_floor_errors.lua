print(pcall(math.floor, "x"), math.floor("3.5")) -- expect: false	3
