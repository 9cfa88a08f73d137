-- getinfo, getlocal, setlocal and traceback of a suspended coroutine
local function f(n)
  local here = n * 2
  if n > 0 then f(n - 1) else coroutine.yield() end
  return here
end
local co = coroutine.create(function(x) return f(x) end)
coroutine.resume(co, 2)
print(debug.traceback(co))
print(debug.traceback(co, "msg", 1))
print(debug.getinfo(co, 0, "S").what, debug.getinfo(co, 1, "l").currentline)
print(debug.getinfo(co, 99))
print(debug.getlocal(co, 1, 1))
print(debug.getlocal(co, 1, 2))
print(debug.getlocal(co, 2, 2))
print(debug.setlocal(co, 1, 2, 111))
print(coroutine.resume(co))
local co2 = coroutine.create(print)
print(debug.traceback(co2))

-- expect: stack traceback:
-- expect: 	[C]: in function 'coroutine.yield'
-- expect: 	conformance/debug/015_thread_args.lua:4: in upvalue 'f'
-- expect: 	conformance/debug/015_thread_args.lua:4: in upvalue 'f'
-- expect: 	conformance/debug/015_thread_args.lua:4: in function <conformance/debug/015_thread_args.lua:2>
-- expect: 	(...tail calls...)
-- expect: msg
-- expect: stack traceback:
-- expect: 	conformance/debug/015_thread_args.lua:4: in upvalue 'f'
-- expect: 	conformance/debug/015_thread_args.lua:4: in upvalue 'f'
-- expect: 	conformance/debug/015_thread_args.lua:4: in function <conformance/debug/015_thread_args.lua:2>
-- expect: 	(...tail calls...)
-- expect: C	4
-- expect: nil
-- expect: n	0
-- expect: here	0
-- expect: here	2
-- expect: here
-- expect: true	4
-- expect: stack traceback:
