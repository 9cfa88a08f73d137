local function f() return not_defined_anywhere() end
print(pcall(f)) -- expect: false	conformance/error_messages/005_global_call_in_function.lua:1: attempt to call a nil value (global 'not_defined_anywhere')
