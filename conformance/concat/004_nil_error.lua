local name
print("hello " .. name)

-- expect error: conformance/concat/004_nil_error.lua:2: attempt to concatenate a nil value (local 'name')
