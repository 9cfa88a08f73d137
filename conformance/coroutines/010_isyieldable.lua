print(coroutine.isyieldable())
coroutine.wrap(function() print(coroutine.isyieldable()) end)()

-- expect: false
-- expect: true
