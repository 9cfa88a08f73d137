local closer = setmetatable({}, {__close = function() print("closed") end})
for i in function(_, c) return (c or 0) + 1 end, nil, nil, closer do
  print(i)
  if i == 2 then break end
end
print("after")

-- expect: 1
-- expect: 2
-- expect: closed
-- expect: after
