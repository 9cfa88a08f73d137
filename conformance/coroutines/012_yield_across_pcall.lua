local co = coroutine.create(function()
  local ok, v = pcall(function()
    local got = coroutine.yield("from inside pcall")
    error("after " .. got, 0)
  end)
  coroutine.yield(ok, v)
  return "end"
end)
print(coroutine.resume(co)) -- expect: true	from inside pcall
print(coroutine.resume(co, "resume")) -- expect: true	false	after resume
print(coroutine.resume(co)) -- expect: true	end
print(coroutine.resume(co)) -- expect: false	cannot resume dead coroutine
