print(tonumber("7fffffffffffffff", 16), tonumber("ffffffffffffffff", 16), tonumber("10000000000000000", 16)) -- expect: 9223372036854775807	-1	0
print(tonumber("  z  ", 36), tonumber("", 10), tonumber("1_0", 10), tonumber("1.0", 10)) -- expect: 35	nil	nil	nil
