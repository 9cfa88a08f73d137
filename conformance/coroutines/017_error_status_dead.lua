local co = coroutine.create(function() error("fail") end)
print(coroutine.resume(co)) -- expect: false	conformance/coroutines/017_error_status_dead.lua:1: fail
print(coroutine.status(co)) -- expect: dead
