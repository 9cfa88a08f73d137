local f = 3.5
print(f | 0)

-- expect error: conformance/arith/021_bitwise_float_uncaught.lua:2: number (local 'f') has no integer representation
