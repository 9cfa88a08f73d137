local flag = false
print(pcall(function() return flag.x end)) -- expect: false	conformance/error_messages/018_index_boolean.lua:2: attempt to index a boolean value (upvalue 'flag')
