print("10" == 10, tostring(10) == "10", 10 .. "" == "10") -- expect: false	true	true
