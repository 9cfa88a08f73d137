local t = {}
print(t & 1)

-- expect error: conformance/arith/020_bitwise_on_table.lua:2: attempt to perform bitwise operation on a table value (local 't')
