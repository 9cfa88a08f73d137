local T = setmetatable({}, {__name = "Widget"})
local x = T < T

-- expect error: conformance/error_messages/021_compare_uses_name.lua:2: attempt to compare two Widget values
