local u
local function f() return u.x end
f()

-- expect error: conformance/tables/021_index_upvalue_error.lua:2: attempt to index a nil value (upvalue 'u')
