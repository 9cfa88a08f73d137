print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger("3"), math.tointeger(2^62), math.tointeger({})) -- expect: 3	nil	3	4611686018427387904	nil
