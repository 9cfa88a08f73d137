-- expect: instructions
local f = function() while true do end end
for i = 1, 20 do
  local inner = f
  f = coroutine.wrap(function() return inner() end)
end
f()
