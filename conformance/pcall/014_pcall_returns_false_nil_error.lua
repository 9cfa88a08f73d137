print(pcall(error, false)) -- expect: false	false
