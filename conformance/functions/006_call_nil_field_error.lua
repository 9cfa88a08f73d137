local t = {}
t.missing(1)

-- expect error: conformance/functions/006_call_nil_field_error.lua:2: attempt to call a nil value (field 'missing')
