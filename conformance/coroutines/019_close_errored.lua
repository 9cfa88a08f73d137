local co = coroutine.create(function() error({msg = "x"}) end)
coroutine.resume(co)
local ok, e = coroutine.close(co)
print(ok, type(e), e.msg) -- expect: false	table	x
