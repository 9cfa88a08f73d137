print(pcall(coroutine.yield, 1)) -- expect: false	attempt to yield from outside a coroutine
