local function fail() error("inside fail") end
fail()

-- expect error: conformance/errors/020_uncaught_error_in_function.lua:1: inside fail
