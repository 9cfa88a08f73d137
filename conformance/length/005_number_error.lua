local n = 42
print(#n)

-- expect error: conformance/length/005_number_error.lua:2: attempt to get length of a number value (local 'n')
