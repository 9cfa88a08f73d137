-- numerals of thousands of digits in tonumber, arithmetic coercion and source text (Python int() refuses > 4300 digits)
local big = "1" .. ("0"):rep(5000)
print(tonumber(big), tonumber("-" .. big), math.type(tonumber(big))) -- expect: inf	-inf	float
print(big + 0, big * 1, -big) -- expect: inf	inf	-inf
print(tonumber(big, 10), tonumber(("f"):rep(5000), 16), tonumber(("7"):rep(5000), 8)) -- expect: 0	-1	-1
print(tonumber("0x" .. ("f"):rep(5000)), tonumber("0x1" .. ("0"):rep(5000) .. "p-20000")) -- expect: -1	1.0
print(load("return " .. big)(), load("return 0x" .. ("1"):rep(5000))()) -- expect: inf	1229782938247303441
print(tonumber("0." .. ("0"):rep(5000) .. "1"), tonumber("1e" .. ("0"):rep(5000) .. "1")) -- expect: 0.0	10.0
print(string.format("%d", 3), math.tointeger(big), tonumber(big .. ".5")) -- expect: 3	nil	inf
print(#tostring(tonumber(("9"):rep(400))), big // 1, big % 7) -- expect: 3	inf	-nan
print(tonumber("-9223372036854775808"), tonumber("-0009223372036854775808"), tonumber("9223372036854775808"), tonumber("-9223372036854775809")) -- expect: -9223372036854775808	-9223372036854775808	9.2233720368548e+18	-9.2233720368548e+18
print(tonumber("  0x10  "), tonumber("-0x10"), tonumber("1e"), tonumber("0x"), tonumber(".5"), tonumber("5."), tonumber("0x.8p1"), tonumber("1e+5000"), tonumber("0x1p" .. ("9"):rep(30))) -- expect: 16	-16	nil	nil	0.5	5.0	1.0	inf	inf
print(-9223372036854775808, math.type(-9223372036854775808), 9223372036854775807, 0xffffffffffffffff, 1e309) -- expect: -9.2233720368548e+18	float	9223372036854775807	-1	inf
