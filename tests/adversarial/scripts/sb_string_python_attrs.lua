-- expect: return
-- result: 0
local fails = 0
for _, k in ipairs({"__class__", "decode", "hex", "join", "__add__", "__len__", "__mod__", "fromhex"}) do
  if ("x")[k] ~= nil then fails = fails + 1 end
end
return fails
