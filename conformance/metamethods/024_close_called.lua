do
  local x <close> = setmetatable({}, {__close = function(self, err) print("close", err) end})
  print("body")
end
print("after")

-- expect: body
-- expect: close	nil
-- expect: after
