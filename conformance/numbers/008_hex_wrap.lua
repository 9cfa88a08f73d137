print(0xffffffffffffffff, 0x10000000000000000, 0x7fffffffffffffff + 0) -- expect: -1	0	9223372036854775807
