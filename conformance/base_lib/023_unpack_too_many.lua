print(pcall(table.unpack, {}, 1, 1e8)) -- expect: false	too many results to unpack
print(pcall(table.unpack, {}, math.mininteger, math.maxinteger)) -- expect: false	too many results to unpack
