local cb
local function run() cb() end
run()

-- expect error: conformance/upvalues/007_call_nil_upvalue_error.lua:2: attempt to call a nil value (upvalue 'cb')
