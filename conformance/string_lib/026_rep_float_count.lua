print(("x"):rep(3.0)) -- expect: xxx
