print("10" + 1, "3" * "4", "10" / 2, "0x10" + 0, "1e1" * 1) -- expect: 11	12	5.0	16	10.0
print(math.type("10" + 1), math.type("1e1" * 1), " 5 " - 1) -- expect: integer	float	4
