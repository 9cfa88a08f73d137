local co = coroutine.create(function() end)
coroutine.resume(co)
print(coroutine.resume(co)) -- expect: false	cannot resume dead coroutine
