-- a generic for whose iterator yields; the loop's closing value is closed after a yield
local function iter(s, i)
  if i >= s then return nil end
  coroutine.yield("step " .. i)
  return i + 1, i * i
end
local closing = setmetatable({}, {__close = function() print("loop closed") end})
local co = coroutine.wrap(function()
  local acc = {}
  for i, sq in iter, 3, 0, closing do acc[#acc + 1] = i .. ":" .. sq end
  for k, v in pairs({10, 20}) do acc[#acc + 1] = k .. "=" .. v; coroutine.yield("pairs " .. k) end
  return table.concat(acc, " ")
end)
for _ = 1, 6 do print(co()) end

-- expect: step 0
-- expect: step 1
-- expect: step 2
-- expect: loop closed
-- expect: pairs 1
-- expect: pairs 2
-- expect: 1:0 2:1 3:4 1=10 2=20
