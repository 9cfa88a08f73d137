print(pcall(function() local t = {} return t.a.b.c end)) -- expect: false	conformance/error_messages/002_index_constant_nil.lua:1: attempt to index a nil value (field 'a')
