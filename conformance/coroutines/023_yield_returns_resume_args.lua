local co = coroutine.create(function(...)
  local n = select("#", coroutine.yield())
  return n
end)
coroutine.resume(co)
print(coroutine.resume(co, nil, nil, nil)) -- expect: true	3
