local s = "hello"
print(s + 1)

-- expect error: conformance/strings_coercion/007_string_arith_uncaught.lua:2: attempt to add a 'string' with a 'number'
