local f = coroutine.wrap(function(...)
  print(select("#", ...), ...)
  print(coroutine.yield())
end)
f(1, nil, 3)
f(nil, nil)

-- expect: 3	1	nil	3
-- expect: nil	nil
