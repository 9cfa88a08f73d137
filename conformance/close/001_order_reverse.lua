do
  local a <close> = setmetatable({}, {__close = function() print("close a") end})
  local b <close> = setmetatable({}, {__close = function() print("close b") end})
  print("body")
end

-- expect: body
-- expect: close b
-- expect: close a
