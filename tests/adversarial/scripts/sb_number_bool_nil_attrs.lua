-- expect: return
-- result: 0
local fails = 0
for _, v in ipairs({1, 2.5, true}) do
  for _, k in ipairs({"__class__", "real", "imag", "bit_length", "hex", "__add__"}) do
    if pcall(function() return v[k] end) then fails = fails + 1 end
  end
end
if pcall(function() return (nil).__class__ end) then fails = fails + 1 end
return fails
