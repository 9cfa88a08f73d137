-- expect: memory
-- limits: instructions=none
-- then: return tostring(closed)
-- then-result: nil
do
  local x <close> = setmetatable({}, {__close = function() closed = true end})
  local t = {}
  while true do t[#t + 1] = {} end
end
