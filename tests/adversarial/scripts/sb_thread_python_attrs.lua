-- expect: return
-- result: 0
local co = coroutine.create(print)
local fails = 0
for _, k in ipairs({"__class__", "rt", "fn", "thread", "resume", "_transfer", "__dict__"}) do
  local ok, e = pcall(function() return co[k] end)
  if ok or not string.find(e, "attempt to index a thread value", 1, true) then fails = fails + 1 end
end
return fails
