local lib = {}
print(pcall(function() lib.helper() end)) -- expect: false	conformance/error_messages/016_call_field_names.lua:2: attempt to call a nil value (field 'helper')
print(pcall(function() lib["other"]() end)) -- expect: false	conformance/error_messages/016_call_field_names.lua:3: attempt to call a nil value (field 'other')
