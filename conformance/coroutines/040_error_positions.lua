-- error positions and levels inside coroutines; wrap adds the caller's position
local co = coroutine.create(function()
  local t = nil
  return t.x
end)
print(coroutine.resume(co)) -- expect: false	conformance/coroutines/040_error_positions.lua:4: attempt to index a nil value (local 't')
local w = coroutine.wrap(function() error("lvl1") end)
print(pcall(w)) -- expect: false	conformance/coroutines/040_error_positions.lua:7: lvl1
local w2 = coroutine.wrap(function() error("lvl2", 2) end)
print(pcall(w2)) -- expect: false	lvl2
local w3 = coroutine.wrap(function() error({code = 7}) end)
local ok, e = pcall(w3)
print(ok, type(e), e.code) -- expect: false	table	7
local function f() error("in f", 2) end
local co2 = coroutine.create(function() f() end)
print(coroutine.resume(co2)) -- expect: false	conformance/coroutines/040_error_positions.lua:15: in f
local co3 = coroutine.create(function() coroutine.yield() local x = 1 + {} end)
coroutine.resume(co3)
print(coroutine.resume(co3)) -- expect: false	conformance/coroutines/040_error_positions.lua:17: attempt to perform arithmetic on a table value
print(coroutine.resume(co3)) -- expect: false	cannot resume dead coroutine
print(pcall(coroutine.wrap(function() end)), pcall(w)) -- expect: true	false	cannot resume dead coroutine
