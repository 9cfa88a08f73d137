-- expect: instructions
while true do
  local co = coroutine.wrap(function() error("x") end)
  pcall(co)
end
