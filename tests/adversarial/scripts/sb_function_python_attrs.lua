-- expect: return
-- result: 0
local fails = 0
local names = {"__class__", "__globals__", "__code__", "__closure__", "__dict__", "__builtins__", "__call__", "__self__", "__func__", "__module__"}
for _, f in ipairs({print, string.rep, function() end, coroutine.wrap(function() end)}) do
  for _, k in ipairs(names) do
    local ok, e = pcall(function() return f[k] end)
    if ok or not string.find(e, "attempt to index a function value", 1, true) then fails = fails + 1 end
  end
end
return fails
