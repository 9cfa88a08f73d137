print(("abc"):gsub("%a", {b = true}))

-- expect error: conformance/string_lib/031_gsub_invalid_table_value.lua:1: invalid replacement value (a boolean)
