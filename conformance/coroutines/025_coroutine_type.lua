local co = coroutine.create(print)
print(type(co))
print(coroutine.resume(co, "printed by print"))

-- expect: thread
-- expect: printed by print
-- expect: true
