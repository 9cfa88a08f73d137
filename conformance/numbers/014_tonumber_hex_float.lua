print(tonumber("0x1p4"), tonumber("0x.8"), tonumber("0xA.8P0"), tonumber("-0x10")) -- expect: 16.0	0.5	10.5	-16
