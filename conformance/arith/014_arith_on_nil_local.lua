local x
print(x + 1)

-- expect error: conformance/arith/014_arith_on_nil_local.lua:2: attempt to perform arithmetic on a nil value (local 'x')
