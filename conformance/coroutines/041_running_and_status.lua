-- coroutine.running / status / isyieldable from every side
local main, ismain = coroutine.running()
print(type(main), ismain, coroutine.status(main), coroutine.isyieldable(main))
local co
co = coroutine.create(function()
  local me, im = coroutine.running()
  print(me == co, im, coroutine.status(co), coroutine.status(main), coroutine.isyieldable())
  local other = coroutine.create(function()
    print("outer is", coroutine.status(co), "main is", coroutine.status(main))
  end)
  coroutine.resume(other)
  print(coroutine.resume(co))
  coroutine.yield()
end)
print(coroutine.status(co), coroutine.isyieldable(co))
coroutine.resume(co)
print(coroutine.status(co))
coroutine.resume(co)
print(coroutine.status(co), coroutine.resume(co))
print(coroutine.resume(main))

-- expect: thread	true	running	false
-- expect: suspended	true
-- expect: true	false	running	normal	true
-- expect: outer is	normal	main is	normal
-- expect: false	cannot resume non-suspended coroutine
-- expect: suspended
-- expect: dead	false	cannot resume dead coroutine
-- expect: false	cannot resume non-suspended coroutine
