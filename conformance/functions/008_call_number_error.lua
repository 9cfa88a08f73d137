local n = 1
n()

-- expect error: conformance/functions/008_call_number_error.lua:2: attempt to call a number value (local 'n')
