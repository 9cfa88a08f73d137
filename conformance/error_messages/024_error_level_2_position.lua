local function lib() error("lib failure", 2) end
local function user() lib() end
print(pcall(user)) -- expect: false	conformance/error_messages/024_error_level_2_position.lua:2: lib failure
