-- Pinned cost of raising and catching Lua errors.
-- instructions: 3613
-- memory_peak: 60030
local caught = 0
for i = 1, 300 do
  local ok, e = pcall(error, {code = i})
  if not ok and e.code == i then caught = caught + 1 end
end
local ok, msg = pcall(function() local x = nil; return x.y end)
print(caught, msg)
-- expect: 300	conformance/limits/012_pcall_error.lua:9: attempt to index a nil value (local 'x')
