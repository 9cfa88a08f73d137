print(tostring(nil), pcall(tostring)) -- expect: nil	false	bad argument #1 to 'tostring' (value expected)
