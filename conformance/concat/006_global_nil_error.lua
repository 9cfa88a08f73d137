print("x" .. missing_global)

-- expect error: conformance/concat/006_global_nil_error.lua:1: attempt to concatenate a nil value (global 'missing_global')
