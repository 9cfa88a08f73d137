local function f() return nil end
f()()

-- expect error: conformance/functions/010_call_result_of_call_error.lua:2: attempt to call a nil value
