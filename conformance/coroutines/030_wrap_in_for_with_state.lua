local function chars(s)
  return coroutine.wrap(function() for c in s:gmatch(".") do coroutine.yield(c) end end)
end
local out = {}
for c in chars("xyz") do out[#out + 1] = c:upper() end
print(table.concat(out)) -- expect: XYZ
