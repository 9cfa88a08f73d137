local co, ismain = coroutine.running()
print(type(co), ismain)
local c2 = coroutine.create(function()
  local me, m = coroutine.running()
  print(type(me), m)
end)
coroutine.resume(c2)

-- expect: thread	true
-- expect: thread	false
