local up = "str"
print(pcall(function() return up * {} end)) -- expect: false	conformance/error_messages/004_upvalue_arith.lua:2: attempt to mul a 'string' with a 'table'
