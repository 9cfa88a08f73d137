for i = 1, 2, 0 do end

-- expect error: conformance/for_numeric/012_step_zero_uncaught.lua:1: 'for' step is zero
