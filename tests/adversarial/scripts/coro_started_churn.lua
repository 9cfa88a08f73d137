-- expect: instructions
-- limits: instructions=20000
while true do
  local co = coroutine.create(function() coroutine.yield() end)
  coroutine.resume(co)
  coroutine.resume(co)
end
