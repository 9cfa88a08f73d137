local co
co = coroutine.create(function() return pcall(coroutine.close, co) end)
print(coroutine.resume(co)) -- expect: true	false	cannot close a running coroutine
print(pcall(coroutine.close, coroutine.running())) -- expect: false	cannot close a running coroutine
