for i = 1, 3 do
  local c <close> = setmetatable({}, {__close = function() print("close", i) end})
  if i == 2 then break end
end
print("done")

-- expect: close	1
-- expect: close	2
-- expect: done
