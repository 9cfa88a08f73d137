local co = coroutine.wrap(function()
  local ok, e = pcall(error, "caught inside")
  coroutine.yield(ok, e)
  return "finished"
end)
print(co()) -- expect: false	caught inside
print(co()) -- expect: finished
