print(undefinedvar * 2)

-- expect error: conformance/arith/015_arith_on_global.lua:1: attempt to perform arithmetic on a nil value (global 'undefinedvar')
