local n = 5
print(n.x)

-- expect error: conformance/tables/020_index_number_error.lua:2: attempt to index a number value (local 'n')
