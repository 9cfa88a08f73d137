print(string.format("%d %d %x", math.maxinteger, math.mininteger, -1)) -- expect: 9223372036854775807 -9223372036854775808 ffffffffffffffff
