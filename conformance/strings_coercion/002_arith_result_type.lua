print("10" + 0, "10.0" + 0, "0x10" + 0, " 1e1 " + 0, "10" // "3", "7" % "2") -- expect: 10	10.0	16	10.0	3	1
print(math.type("10" * 1), math.type("10" * 1.0)) -- expect: integer	float
