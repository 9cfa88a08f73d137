local t = {}
t[0/0] = 1

-- expect error: conformance/tables/005_nan_key_uncaught.lua:2: table index is NaN
