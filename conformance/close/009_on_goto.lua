local n = 0
::again::
do
  local c <close> = setmetatable({}, {__close = function() print("close", n) end})
  n = n + 1
  if n < 3 then goto again end
end

-- expect: close	1
-- expect: close	2
-- expect: close	3
