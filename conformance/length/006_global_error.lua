print(#undefined_table)

-- expect error: conformance/length/006_global_error.lua:1: attempt to get length of a nil value (global 'undefined_table')
