local obj = {}
obj:nomethod()

-- expect error: conformance/functions/007_call_method_error.lua:2: attempt to call a nil value (method 'nomethod')
