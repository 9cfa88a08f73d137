-- expect: instructions
-- then: return tostring(escaped)
-- then-result: nil
local function nest(n)
  if n == 0 then while true do end end
  local ok, err = pcall(nest, n - 1)
  escaped = true
  return ok, err
end
nest(100)
