for x in 42 do end

-- expect error: conformance/for_generic/004_call_non_function_error.lua:1: attempt to call a number value (for iterator 'for iterator')
