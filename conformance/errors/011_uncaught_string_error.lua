print("before") -- expect: before
error("fatal problem")

-- expect error: conformance/errors/011_uncaught_string_error.lua:2: fatal problem
