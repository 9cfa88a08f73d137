local t = setmetatable({}, {})
t()

-- expect error: conformance/metamethods/017_call_not_callable_error.lua:2: attempt to call a table value (local 't')
