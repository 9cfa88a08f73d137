-- expect: instructions
-- then: return tostring(closed)
-- then-result: nil
do
  local x <close> = setmetatable({}, {__close = function() closed = true end})
  while true do end
end
