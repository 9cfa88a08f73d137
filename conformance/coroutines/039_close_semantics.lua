-- coroutine.close: pending __close run with nil, errors in them are returned, states
local log = {}
local function closer(name, fail)
  return setmetatable({}, {__close = function(_, err)
    log[#log + 1] = name .. ":" .. tostring(err)
    if fail then error(name .. " failed", 0) end
  end})
end
local co = coroutine.create(function()
  local a <close> = closer("a")
  local b <close> = closer("b", true)
  local c <close> = closer("c")
  coroutine.yield()
end)
coroutine.resume(co)
print(coroutine.close(co))
print(table.concat(log, " "))
print(coroutine.status(co), coroutine.close(co))
print(coroutine.resume(co))
-- a coroutine closing itself or its resumer is refused
local main = coroutine.running()
print(coroutine.wrap(function() return pcall(coroutine.close, main) end)())
print(pcall(coroutine.close, main))
-- closing a never-started coroutine
local fresh = coroutine.create(function() print("never") end)
print(coroutine.close(fresh), coroutine.status(fresh))
-- inside a close handler run by coroutine.close, the coroutine is running and cannot yield
local inner
inner = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function()
    print("running is inner", coroutine.running() == inner, coroutine.status(inner), coroutine.isyieldable())
  end})
  coroutine.yield()
end)
coroutine.resume(inner)
print(coroutine.close(inner))

-- expect: false	b failed
-- expect: c:nil b:nil a:b failed
-- expect: dead	true
-- expect: false	cannot resume dead coroutine
-- expect: false	cannot close a normal coroutine
-- expect: false	cannot close a running coroutine
-- expect: true	dead
-- expect: running is inner	true	running	false
-- expect: true
