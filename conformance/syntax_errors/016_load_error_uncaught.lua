local ok = load("x = = 1")
print(ok) -- expect: nil
local f = nil
f = f or error("load failed: " .. select(2, load("x = = 1")))

-- expect error: conformance/syntax_errors/016_load_error_uncaught.lua:4: load failed: [string "x = = 1"]:1: unexpected symbol near '='
