print(math.maxinteger, math.mininteger) -- expect: 9223372036854775807	-9223372036854775808
print(math.maxinteger + 1 == math.mininteger) -- expect: true
print(math.mininteger - 1 == math.maxinteger) -- expect: true
print(-math.mininteger == math.mininteger) -- expect: true
