local t = {name = "bob"}
print(t.name + 1)

-- expect error: conformance/arith/017_arith_on_string_field.lua:2: attempt to add a 'string' with a 'number'
