local function range(n)
  local i = 0
  return function() i = i + 1 if i <= n then return i end end
end
for x in range(3) do print(x) end

-- expect: 1
-- expect: 2
-- expect: 3
