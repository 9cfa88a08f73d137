-- __pairs may yield: pairs calls it as a Lua call (lua_callk)
local t = setmetatable({10, 20, 30}, {__pairs = function(t)
  local step = coroutine.yield("asked")
  return function(t, i)
    if i > 1 then return i - step, t[i - step] end
  end, t, #t + 1
end})
local co = coroutine.wrap(function()
  local seen = {}
  for i, v in pairs(t) do seen[#seen + 1] = i .. "=" .. v end
  return table.concat(seen, " ")
end)
print(co())
print(co(1))
print(select(2, pcall(string.gsub, "x", "x", function() return coroutine.yield() end)))
-- expect: asked
-- expect: 3=30 2=20 1=10
-- expect: attempt to yield from outside a coroutine
