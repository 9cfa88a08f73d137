local t = {}
print(t.a.b)

-- expect error: conformance/tables/018_index_nil_field_error.lua:2: attempt to index a nil value (field 'a')
