local function a() return b_undefined.c end
print(pcall(a)) -- expect: false	conformance/error_messages/017_global_nil_in_nested.lua:1: attempt to index a nil value (global 'b_undefined')
