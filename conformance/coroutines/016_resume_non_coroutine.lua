print(pcall(coroutine.resume, 1)) -- expect: false	bad argument #1 to 'coroutine.resume' (thread expected, got number)
print(pcall(coroutine.status, {})) -- expect: false	bad argument #1 to 'coroutine.status' (thread expected, got table)
