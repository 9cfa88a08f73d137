-- expect: instructions
-- then: return tostring(closed)
-- then-result: nil
pcall(function()
  local x <close> = setmetatable({}, {__close = function() closed = true end})
  while true do end
end)
