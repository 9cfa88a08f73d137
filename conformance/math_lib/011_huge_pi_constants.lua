print(math.huge, -math.huge, math.pi, math.maxinteger, math.mininteger) -- expect: inf	-inf	3.1415926535898	9223372036854775807	-9223372036854775808
