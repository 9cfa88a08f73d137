print(math.mininteger // -1, math.mininteger % -1) -- expect: -9223372036854775808	0
print(math.mininteger // 1) -- expect: -9223372036854775808
