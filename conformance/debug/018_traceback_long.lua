-- a deep stack: 10 levels, "...(skipping n levels)", then the last 11
local function deep(n, lvl)
  if n == 0 then return (debug.traceback("deep", lvl)) end
  return (deep(n - 1, lvl))
end
print(deep(30, 1))
print(coroutine.wrap(deep)(25, 3))
print(coroutine.wrap(deep)(5, 2))

-- expect: deep
-- expect: stack traceback:
-- expect: 	conformance/debug/018_traceback_long.lua:3: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	...	(skipping 11 levels)
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in local 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:6: in main chunk
-- expect: 	[C]: in ?
-- expect: deep
-- expect: stack traceback:
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	...	(skipping 2 levels)
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in function <conformance/debug/018_traceback_long.lua:2>
-- expect: deep
-- expect: stack traceback:
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in upvalue 'deep'
-- expect: 	conformance/debug/018_traceback_long.lua:4: in function <conformance/debug/018_traceback_long.lua:2>
