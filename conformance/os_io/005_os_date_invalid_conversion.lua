print(pcall(os.date, "%Ez")) -- expect: false	bad argument #1 to 'os.date' (invalid conversion specifier '%Ez')
print(pcall(os.date, "%")) -- expect: false	bad argument #1 to 'os.date' (invalid conversion specifier '%')
