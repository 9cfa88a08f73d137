print(string.unpack("<I8", string.pack("<I8", -1)), string.unpack("<i8", string.pack("<j", math.mininteger))) -- expect: -1	-9223372036854775808	9
