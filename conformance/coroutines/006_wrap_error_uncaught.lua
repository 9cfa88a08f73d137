local f = coroutine.wrap(function() local x = nil; return x.y end)
f()

-- expect error: conformance/coroutines/006_wrap_error_uncaught.lua:2: conformance/coroutines/006_wrap_error_uncaught.lua:1: attempt to index a nil value (local 'x')
