print(tonumber("ff", 16), tonumber("FF", 16), tonumber("777", 8), tonumber("zz", 36)) -- expect: 255	255	511	1295
print(tonumber("102", 2), tonumber("11", 2), tonumber(" 11 ", 2), tonumber("-11", 2)) -- expect: nil	3	3	-3
print(tonumber("8", 8), tonumber("1.5", 10)) -- expect: nil	nil
