local inner = coroutine.wrap(function() error("inner failure", 0) end)
local outer = coroutine.create(function() inner() end)
print(coroutine.resume(outer)) -- expect: false	conformance/coroutines/032_error_in_nested_coroutine.lua:2: inner failure
