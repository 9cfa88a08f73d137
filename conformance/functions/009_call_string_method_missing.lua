local s = "x"
s:nosuch()

-- expect error: conformance/functions/009_call_string_method_missing.lua:2: attempt to call a nil value (method 'nosuch')
