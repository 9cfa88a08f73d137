local co = coroutine.create(function()
  return (string.gsub("ab", ".", function(c) coroutine.yield(c) end))
end)
print(coroutine.resume(co)) -- expect: false	attempt to yield across a C-call boundary
