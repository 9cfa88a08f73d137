print(pcall(function() return string.missing.x end)) -- expect: false	conformance/error_messages/006_field_of_global_table.lua:1: attempt to index a nil value (field 'missing')
