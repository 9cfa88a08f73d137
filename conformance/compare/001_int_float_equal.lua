print(1 == 1.0, 2^53 == 2^53 + 1, math.maxinteger == 2^63, math.maxinteger + 0.0 == 2^63) -- expect: true	true	false	true
print(math.mininteger == -2^63, 9007199254740993 == 2^53 + 1) -- expect: true	false
