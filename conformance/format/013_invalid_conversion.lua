print(pcall(string.format, "%y", 1)) -- expect: false	invalid conversion '%y' to 'format'
print(pcall(string.format, "%", 1)) -- expect: false	invalid conversion '%' to 'format'
print(pcall(string.format, "%100d", 1)) -- expect: false	invalid conversion specification: '%100d'
