print(pcall(42)) -- expect: false	attempt to call a number value
print(pcall())

-- expect error: conformance/pcall/004_not_callable.lua:2: bad argument #1 to 'pcall' (value expected)
