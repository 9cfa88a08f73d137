undefined_function(1)

-- expect error: conformance/functions/005_call_nil_global_error.lua:1: attempt to call a nil value (global 'undefined_function')
