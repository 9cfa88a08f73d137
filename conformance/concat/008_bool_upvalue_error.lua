local flag = true
local function f() return "x" .. flag end
f()

-- expect error: conformance/concat/008_bool_upvalue_error.lua:2: attempt to concatenate a boolean value (upvalue 'flag')
