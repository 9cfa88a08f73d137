local a, b = {}, {}
print(a <= b)

-- expect error: conformance/compare/009_lt_two_tables_uncaught.lua:2: attempt to compare two table values
