local x
print(x.field)

-- expect error: conformance/tables/016_index_nil_local_error.lua:2: attempt to index a nil value (local 'x')
