print(tonumber("10"), tonumber("10.0"), tonumber("  0x1F  "), tonumber("1e1")) -- expect: 10	10.0	31	10.0
print(tonumber(""), tonumber(" "), tonumber("1 2"), tonumber("0x"), tonumber("1e")) -- expect: nil	nil	nil	nil	nil
print(tonumber("inf"), tonumber("nan"), tonumber(".5"), tonumber("5.")) -- expect: nil	nil	0.5	5.0
