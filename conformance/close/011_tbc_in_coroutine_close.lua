local co = coroutine.create(function()
  local c <close> = setmetatable({}, {__close = function(_, e) print("closed by coroutine.close", e) end})
  coroutine.yield(1)
end)
print(coroutine.resume(co))
print(coroutine.close(co))
print(coroutine.status(co))

-- expect: true	1
-- expect: closed by coroutine.close	nil
-- expect: true
-- expect: dead
