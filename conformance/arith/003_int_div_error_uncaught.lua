local function idiv(a, b) return a // b end
print("before") -- expect: before
print(idiv(1, 0))

-- expect error: conformance/arith/003_int_div_error_uncaught.lua:1: attempt to divide by zero
