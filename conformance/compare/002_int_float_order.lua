print(9007199254740993 < 9007199254740992.0, 9007199254740993 > 9007199254740992.0) -- expect: false	true
print(math.maxinteger < 2^63, math.maxinteger >= 2^63, math.mininteger <= -2^63) -- expect: true	false	true
print(1 < 1.5, 2 > 1.5, 1 <= 1.0, -0.0 < 0) -- expect: true	true	true	false
