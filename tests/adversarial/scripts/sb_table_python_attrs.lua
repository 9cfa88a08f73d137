-- expect: return
-- result: 0
local fails = 0
for _, k in ipairs({"__class__", "keys", "items", "meta", "border", "get", "pop", "clear", "__dict__", "__init__"}) do
  if ({})[k] ~= nil or string[k] ~= nil or _G[k] ~= nil then fails = fails + 1 end
end
return fails
