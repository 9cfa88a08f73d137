-- the ipairs iterator checks its control value and wraps around at maxinteger
local f = ipairs({})
print(f({[math.mininteger] = 10}, math.maxinteger)) -- expect: -9223372036854775808	10
print(f({[4] = 10}, 3.0), f({[4] = 10}, "3")) -- expect: 4	4	10
print(pcall(f, {}, "x")) -- expect: false	bad argument #2 to '?' (number expected, got string)
print(pcall(f, {}, 2.5)) -- expect: false	bad argument #2 to '?' (number has no integer representation)
print(pcall(f, {})) -- expect: false	bad argument #2 to '?' (number expected, got no value)
print(pcall(f, nil, 1)) -- expect: false	attempt to index a nil value
print(pcall(f, 5, 1)) -- expect: false	attempt to index a number value
print(pcall(f, "abc", 1)) -- expect: true	nil
print(ipairs({}) == ipairs({})) -- expect: true
