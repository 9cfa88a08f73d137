local k
local t = {[k] = 1}

-- expect error: conformance/tables/006_nil_key_constructor.lua:2: table index is nil
