print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger(2^63), math.tointeger(-2^63)) -- expect: 3	nil	nil	-9223372036854775808
print(math.tointeger("8"), math.tointeger(8)) -- expect: 8	8
