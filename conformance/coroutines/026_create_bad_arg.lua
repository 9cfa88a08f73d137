print(pcall(coroutine.create, 1)) -- expect: false	bad argument #1 to 'coroutine.create' (function expected, got number)
print(pcall(coroutine.wrap)) -- expect: false	bad argument #1 to 'coroutine.wrap' (function expected, got no value)
