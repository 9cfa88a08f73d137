-- traceback: message, level, non-string messages
local function c() return debug.traceback("msg", 1) end
local function b() return c() .. "" end
local function a() return (b()) end
print(a())
print(debug.traceback("lvl2", 2))
print(debug.traceback())
print(debug.traceback(nil))
print(debug.traceback(12))
local t = {}
print(debug.traceback(t) == t)
local ok, msg = xpcall(function() error("boom") end, debug.traceback)
print(ok, msg)

-- expect: msg
-- expect: stack traceback:
-- expect: 	conformance/debug/013_traceback.lua:2: in upvalue 'c'
-- expect: 	conformance/debug/013_traceback.lua:3: in upvalue 'b'
-- expect: 	conformance/debug/013_traceback.lua:4: in local 'a'
-- expect: 	conformance/debug/013_traceback.lua:5: in main chunk
-- expect: 	[C]: in ?
-- expect: lvl2
-- expect: stack traceback:
-- expect: 	[C]: in ?
-- expect: stack traceback:
-- expect: 	conformance/debug/013_traceback.lua:7: in main chunk
-- expect: 	[C]: in ?
-- expect: stack traceback:
-- expect: 	conformance/debug/013_traceback.lua:8: in main chunk
-- expect: 	[C]: in ?
-- expect: 12
-- expect: stack traceback:
-- expect: 	conformance/debug/013_traceback.lua:9: in main chunk
-- expect: 	[C]: in ?
-- expect: true
-- expect: false	conformance/debug/013_traceback.lua:12: boom
-- expect: stack traceback:
-- expect: 	[C]: in function 'error'
-- expect: 	conformance/debug/013_traceback.lua:12: in function <conformance/debug/013_traceback.lua:12>
-- expect: 	[C]: in function 'xpcall'
-- expect: 	conformance/debug/013_traceback.lua:12: in main chunk
-- expect: 	[C]: in ?
