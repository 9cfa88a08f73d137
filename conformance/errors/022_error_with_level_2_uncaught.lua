local function validate(v) if not v then error("invalid value", 2) end end
validate(false)

-- expect error: conformance/errors/022_error_with_level_2_uncaught.lua:2: invalid value
