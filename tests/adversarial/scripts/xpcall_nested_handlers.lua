-- expect: instructions
local function deep(n)
  if n == 0 then while true do end end
  return xpcall(deep, function(m) caught = m return m end, n - 1)
end
deep(50)
