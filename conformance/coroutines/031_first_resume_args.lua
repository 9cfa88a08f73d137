local co = coroutine.create(function(...) return select("#", ...), ... end)
print(coroutine.resume(co, "a", nil)) -- expect: true	2	a	nil
