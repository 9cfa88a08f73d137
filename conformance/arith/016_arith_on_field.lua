local t = {}
print(t.count - 1)

-- expect error: conformance/arith/016_arith_on_field.lua:2: attempt to perform arithmetic on a nil value (field 'count')
