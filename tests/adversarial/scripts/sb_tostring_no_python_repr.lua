-- expect: return
-- result: 0
local fails = 0
for _, v in ipairs({print, string.rep, function() end, {}, coroutine.create(print), string}) do
  local s = tostring(v)
  if not string.match(s, "^%a+: 0x%x+$") or string.find(s, "<") or string.find(s, "object") then fails = fails + 1 end
  if string.format("%s", v) ~= s then fails = fails + 1 end
end
return fails
