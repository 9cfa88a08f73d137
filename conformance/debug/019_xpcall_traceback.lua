-- a message handler sees the levels of the error, as PUC calls it at the error point
local function lvl3() error("deep error") end
local function lvl2() lvl3() end
local function lvl1() lvl2() end
print(xpcall(lvl1, debug.traceback))
print(xpcall(lvl1, function(m) return debug.getinfo(2, "Sl").currentline .. " " .. m end))
local t = setmetatable({}, {__index = function(t, k) error("no field " .. k) end})
print(xpcall(function() return t.x end, debug.traceback))

-- expect: false	conformance/debug/019_xpcall_traceback.lua:2: deep error
-- expect: stack traceback:
-- expect: 	[C]: in function 'error'
-- expect: 	conformance/debug/019_xpcall_traceback.lua:2: in upvalue 'lvl3'
-- expect: 	conformance/debug/019_xpcall_traceback.lua:3: in upvalue 'lvl2'
-- expect: 	conformance/debug/019_xpcall_traceback.lua:4: in function <conformance/debug/019_xpcall_traceback.lua:4>
-- expect: 	[C]: in function 'xpcall'
-- expect: 	conformance/debug/019_xpcall_traceback.lua:5: in main chunk
-- expect: 	[C]: in ?
-- expect: false	-1 conformance/debug/019_xpcall_traceback.lua:2: deep error
-- expect: false	conformance/debug/019_xpcall_traceback.lua:7: no field x
-- expect: stack traceback:
-- expect: 	[C]: in function 'error'
-- expect: 	conformance/debug/019_xpcall_traceback.lua:7: in metamethod 'index'
-- expect: 	conformance/debug/019_xpcall_traceback.lua:8: in function <conformance/debug/019_xpcall_traceback.lua:8>
-- expect: 	[C]: in function 'xpcall'
-- expect: 	conformance/debug/019_xpcall_traceback.lua:8: in main chunk
-- expect: 	[C]: in ?
