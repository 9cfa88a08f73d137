local t = {}
print(pcall(function() return t[1].x end)) -- expect: false	conformance/error_messages/007_integer_key_index.lua:2: attempt to index a nil value (field 'integer index')
