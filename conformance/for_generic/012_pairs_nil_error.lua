local t
for k in pairs(t) do end

-- expect error: conformance/for_generic/012_pairs_nil_error.lua:2: bad argument #1 to 'for iterator' (table expected, got nil)
