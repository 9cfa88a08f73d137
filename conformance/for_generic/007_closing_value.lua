do
  local closer = setmetatable({}, {__close = function() print("closed") end})
  for i in function(_, c) c = (c or 0) + 1 if c <= 2 then return c end end, nil, nil, closer do
    print(i)
  end
end

-- expect: 1
-- expect: 2
-- expect: closed
