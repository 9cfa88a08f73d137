local function mod(a, b) return a % b end
print(mod(5, 0))

-- expect error: conformance/arith/004_mod_error_uncaught.lua:1: attempt to perform 'n%0'
