print(pcall(string.pack, "i17", 1)) -- expect: false	integral size (17) out of limits [1,16]
print(pcall(string.pack, "y", 1)) -- expect: false	invalid format option 'y'
