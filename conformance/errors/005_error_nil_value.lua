print(pcall(error)) -- expect: false	nil
print(pcall(error, nil)) -- expect: false	nil
