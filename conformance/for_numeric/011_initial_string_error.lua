for i = "a", 2 do end

-- expect error: conformance/for_numeric/011_initial_string_error.lua:1: bad 'for' initial value (number expected, got string)
