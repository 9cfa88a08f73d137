print(math.maxinteger + 1, math.mininteger - 1) -- expect: -9223372036854775808	9223372036854775807
print(math.maxinteger + 1.0, math.maxinteger + 0.0 == 2^63) -- expect: 9.2233720368548e+18	true
