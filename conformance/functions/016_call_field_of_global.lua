local x = string.nothing
string.nothing()

-- expect error: conformance/functions/016_call_field_of_global.lua:2: attempt to call a nil value (field 'nothing')
