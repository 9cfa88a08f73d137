print(math.maxinteger * 2) -- expect: -2
print(math.mininteger * -1) -- expect: -9223372036854775808
print(0x7fffffffffffffff * 0x7fffffffffffffff) -- expect: 1
