local obj = {}
print(pcall(function() return obj.child:method() end)) -- expect: false	conformance/error_messages/003_method_on_nil_field.lua:2: attempt to index a nil value (field 'child')
