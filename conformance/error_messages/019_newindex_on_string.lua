local s = "abc"
print(pcall(function() s.x = 1 end)) -- expect: false	conformance/error_messages/019_newindex_on_string.lua:2: attempt to index a string value (upvalue 's')
