local t
print(#t)

-- expect error: conformance/length/004_nil_error.lua:2: attempt to get length of a nil value (local 't')
