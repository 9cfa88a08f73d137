-- the debug library inside generator coroutines: hooks, names in twins, dead coroutines
local function g(x) coroutine.yield(x) return x + 1 end
local function f(x) local y = g(x) return y end
local co = coroutine.create(function(a)
  debug.sethook(function(ev, line)
    local i = debug.getinfo(2, "nS")
    print(ev, line, i.name, i.what, i.linedefined)
  end, "cr")
  local r = f(a)
  coroutine.yield(r)
  debug.sethook()
  return 9
end)
print(coroutine.resume(co, 1))
print(coroutine.resume(co))
print(coroutine.resume(co))
print(debug.gethook())
local co2 = coroutine.create(function() local a = 1
  a = a + 1
  coroutine.yield()
  a = a + 2
  return a end)
debug.sethook(co2, function(ev, l) print("co2", ev, l) end, "l")
print(coroutine.resume(co2))
print(coroutine.resume(co2))
local function bad(x) error("boom " .. x) end
local function mid(x) local y = bad(x) return y end
local c3 = coroutine.create(function(x) mid(x) end)
print(coroutine.resume(c3, 1))
print(debug.traceback(c3))
print(debug.getinfo(c3, 0, "nS").what, debug.getinfo(c3, 1, "nl").name, debug.getinfo(c3, 1, "nl").currentline)
local t = setmetatable({}, {__index = function(t, k) coroutine.yield(k) return 1 end})
local c4 = coroutine.create(function() return t.x + 1 end)
print(coroutine.resume(c4))
print(debug.traceback(c4))
local c5 = coroutine.create(function() for k in function() coroutine.yield(1) end do end end)
print(coroutine.resume(c5))
print(debug.traceback(c5))
local c6 = coroutine.create(function() local o = setmetatable({}, {__add = function(a, b) coroutine.yield() return 3 end}) return o + 1 end)
print(coroutine.resume(c6))
print(debug.traceback(c6, nil, 1))
local function hh(p) local q = p coroutine.yield() return q end
local c7 = coroutine.create(function() return hh(5) end)
coroutine.resume(c7)
print(debug.getinfo(c7, 1, "f").func == hh, debug.getinfo(c7, 1, "n").name, debug.getinfo(c7, 0, "n").name)
print(debug.setlocal(c7, 1, 2, 7), coroutine.resume(c7))
local c8 = coroutine.wrap(function() print(debug.traceback("in co")) end) c8()

-- expect: return	nil	sethook	C	-1
-- expect: call	nil	f	Lua	3
-- expect: call	nil	g	Lua	2
-- expect: call	nil	yield	C	-1
-- expect: true	1
-- expect: return	nil	yield	C	-1
-- expect: return	nil	g	Lua	2
-- expect: return	nil	f	Lua	3
-- expect: call	nil	yield	C	-1
-- expect: true	2
-- expect: return	nil	yield	C	-1
-- expect: call	nil	sethook	C	-1
-- expect: true	9
-- expect: nil
-- expect: co2	line	18
-- expect: co2	line	19
-- expect: co2	line	20
-- expect: true
-- expect: co2	line	21
-- expect: co2	line	22
-- expect: true	4
-- expect: false	conformance/debug/023_coroutine_debug.lua:26: boom 1
-- expect: stack traceback:
-- expect: 	[C]: in function 'error'
-- expect: 	conformance/debug/023_coroutine_debug.lua:26: in upvalue 'bad'
-- expect: 	conformance/debug/023_coroutine_debug.lua:27: in upvalue 'mid'
-- expect: 	conformance/debug/023_coroutine_debug.lua:28: in function <conformance/debug/023_coroutine_debug.lua:28>
-- expect: C	bad	26
-- expect: true	x
-- expect: stack traceback:
-- expect: 	[C]: in function 'coroutine.yield'
-- expect: 	conformance/debug/023_coroutine_debug.lua:32: in metamethod 'index'
-- expect: 	conformance/debug/023_coroutine_debug.lua:33: in function <conformance/debug/023_coroutine_debug.lua:33>
-- expect: true	1
-- expect: stack traceback:
-- expect: 	[C]: in function 'coroutine.yield'
-- expect: 	conformance/debug/023_coroutine_debug.lua:36: in for iterator 'for iterator'
-- expect: 	conformance/debug/023_coroutine_debug.lua:36: in function <conformance/debug/023_coroutine_debug.lua:36>
-- expect: true
-- expect: stack traceback:
-- expect: 	conformance/debug/023_coroutine_debug.lua:39: in metamethod 'add'
-- expect: 	conformance/debug/023_coroutine_debug.lua:39: in function <conformance/debug/023_coroutine_debug.lua:39>
-- expect: true	nil	yield
-- expect: q	true	7
-- expect: in co
-- expect: stack traceback:
-- expect: 	conformance/debug/023_coroutine_debug.lua:47: in function <conformance/debug/023_coroutine_debug.lua:47>
