print(tonumber("0x7fffffffffffffff"), tonumber("0xffffffffffffffff"), tonumber("9223372036854775808")) -- expect: 9223372036854775807	-1	9.2233720368548e+18
print(tonumber("1e500"), tonumber("-0"), tonumber("0x1e"), tonumber("1E+2")) -- expect: inf	0	30	100.0
print(tonumber(nil), pcall(tonumber)) -- expect: nil	false	bad argument #1 to 'tonumber' (value expected)
