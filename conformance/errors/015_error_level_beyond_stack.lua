print(pcall(error, "msg", 50)) -- expect: false	msg
