-- expect: instructions
-- then: return tostring(closed)
-- then-result: nil
local co = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() closed = true end})
  while true do end
end)
coroutine.resume(co)
