local producer = coroutine.create(function()
  for _, item in ipairs({"a", "b", "c"}) do coroutine.yield(item) end
  return nil
end)
while true do
  local ok, item = coroutine.resume(producer)
  if not item then break end
  print("consumed", item)
end

-- expect: consumed	a
-- expect: consumed	b
-- expect: consumed	c
