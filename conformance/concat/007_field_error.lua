local t = {}
print("v=" .. t.value)

-- expect error: conformance/concat/007_field_error.lua:2: attempt to concatenate a nil value (field 'value')
