local a, b = 1, "x"
print(a < b)

-- expect error: conformance/compare/008_lt_uncaught.lua:2: attempt to compare number with string
